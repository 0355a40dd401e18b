// SPDX-License-Identifier: GPL-3.0-or-later
#include "model/model.h"

#include "common/error.h"
#include "common/logging.h"
#include "model/classnames.h"
#include "model/modeldata.h"

#include <caffe2/serialize/inline_container.h>

#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>

#include <map>

namespace halfscope {

const char *const Model::kLabelsExtraFile = "halfscope.labels.txt";
const char *const Model::kPreprocessExtraFile = "halfscope.preprocess.json";
const char *const Model::kConversionExtraFile = "halfscope.conversion.json";

namespace {

void checkReadable(const QString &path)
{
    const QFileInfo info(path);
    if (!info.exists())
        throw Error(QStringLiteral("Model file not found: %1. Check the path.").arg(path));
    if (info.isDir()) {
        throw Error(QStringLiteral("%1 is a folder, not a model file. Choose the .pt file that "
                                   "torch.jit.save wrote.")
                        .arg(path));
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        throw Error(QStringLiteral("Cannot read the model file %1: %2. Check its permissions.")
                        .arg(path, file.errorString()));
    }
    if (file.size() == 0)
        throw Error(QStringLiteral("The model file %1 is empty.").arg(path));
}

/// Drops the advice LibTorch appends to zip errors ("This is an internal
/// miniz error..."), which blames the file in every case.
QString withoutMinizAdvice(const QString &reason)
{
    const QString cleaned = reason.section(QLatin1String(". This is an internal miniz error"), 0, 0);
    if (cleaned.contains(QLatin1String("central directory")))
        return cleaned + QStringLiteral(" (the end of the zip archive is missing: the file is "
                                        "truncated, or it is not a zip archive)");
    return cleaned;
}

/// Rejects zip archives that torch.save wrote: they hold pickled objects
/// (data.pkl) but no TorchScript code, and torch::jit::load reports them as
/// "corrupted", which misleads.
void rejectCheckpointArchive(const QString &path)
{
    bool checkpoint = false;
    try {
        caffe2::serialize::PyTorchStreamReader reader(QFile::encodeName(path).toStdString());
        checkpoint = reader.hasRecord("data.pkl") && !reader.hasRecord("constants.pkl");
    } catch (const c10::Error &) {
        // Not a readable zip archive; torch::jit::load reports that below.
        return;
    }
    if (checkpoint) {
        throw Error(QStringLiteral("%1 is a torch.save checkpoint (pickled weights or objects), "
                                   "not a TorchScript model, and HalfScope opens only TorchScript "
                                   "models. In Python, load the weights into the model and save "
                                   "it with torch.jit.save(torch.jit.script(model), \"model.pt\").")
                        .arg(path));
    }
}

std::optional<PreprocessPreset> parsePreset(const std::string &text, const QString &path)
{
    if (text.empty())
        return std::nullopt;
    const QString source = QStringLiteral("%1 (%2)").arg(path, QLatin1String(Model::kPreprocessExtraFile));
    QJsonParseError parseError;
    const QJsonDocument document
        = QJsonDocument::fromJson(QByteArray::fromStdString(text), &parseError);
    if (!document.isObject()) {
        throw Error(QStringLiteral("Invalid preprocessing in %1: %2.")
                        .arg(source, parseError.errorString()));
    }
    return PreprocessPreset::fromJson(document.object(), source);
}

/// Parses halfscope.conversion.json. The settings are informational, so an
/// unreadable file is logged and ignored rather than blocking the model.
QJsonObject parseConversionSettings(const std::string &text, const QString &path)
{
    if (text.empty())
        return {};
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(QByteArray::fromStdString(text), &parseError);
    if (!document.isObject()) {
        qCWarning(lcModel) << "ignoring invalid" << Model::kConversionExtraFile << "in" << path << ":"
                           << parseError.errorString();
        return {};
    }
    return document.object();
}

} // namespace

Model::Model() = default;

Model::Model(std::shared_ptr<const ModelData> data)
    : m_data(std::move(data))
{
}

Model Model::load(const QString &path)
{
    checkReadable(path);
    rejectCheckpointArchive(path);

    torch::jit::ExtraFilesMap extraFiles { { kLabelsExtraFile, std::string() },
                                           { kPreprocessExtraFile, std::string() },
                                           { kConversionExtraFile, std::string() } };
    auto data = std::make_shared<ModelData>();
    try {
        data->module = torch::jit::load(QFile::encodeName(path).toStdString(), torch::kCPU,
                                        extraFiles);
    } catch (const c10::Error &error) {
        qCDebug(lcModel) << "torch::jit::load failed for" << path << ":"
                         << error.what_without_backtrace();
        throw Error(QStringLiteral("Cannot open %1 as a TorchScript model: %2. HalfScope opens "
                                   "archives written by torch.jit.save, for example "
                                   "torch.jit.save(torch.jit.script(model), \"model.pt\").")
                        .arg(path, withoutMinizAdvice(firstLineOf(error.what_without_backtrace()))),
                    QString::fromUtf8(error.what_without_backtrace()));
    } catch (const std::exception &error) {
        throw Error(QStringLiteral("Cannot open %1 as a TorchScript model: %2.")
                        .arg(path, firstLineOf(error.what())));
    }
    data->module.eval();
    data->path = path;
    data->classNames = parseClassNames(QString::fromStdString(extraFiles[kLabelsExtraFile]));
    data->preset = parsePreset(extraFiles[kPreprocessExtraFile], path);
    data->conversionSettings = parseConversionSettings(extraFiles[kConversionExtraFile], path);
    data->precision = detectPrecision(data->module);
    data->tensors = describeTensors(data->module);
    qCInfo(lcModel) << "loaded" << path << "with" << data->classNames.size() << "class names";
    return Model(std::move(data));
}

bool Model::isNull() const
{
    return !m_data;
}

QString Model::path() const
{
    return m_data ? m_data->path : QString();
}

QString Model::fileName() const
{
    return QFileInfo(path()).fileName();
}

std::vector<TensorInfo> Model::tensors() const
{
    return m_data ? m_data->tensors : std::vector<TensorInfo>();
}

Precision Model::precision() const
{
    return m_data ? m_data->precision : Precision::Float32;
}

QStringList Model::classNames() const
{
    return m_data ? m_data->classNames : QStringList();
}

std::optional<PreprocessPreset> Model::embeddedPreset() const
{
    return m_data ? m_data->preset : std::nullopt;
}

QJsonObject Model::conversionSettings() const
{
    return m_data ? m_data->conversionSettings : QJsonObject();
}

std::vector<TensorInfo> describeTensors(const torch::jit::Module &module)
{
    std::vector<TensorInfo> infos;
    auto describe = [&infos](const std::string &name, const at::Tensor &tensor,
                             TensorInfo::Kind kind) {
        TensorInfo info;
        info.name = QString::fromStdString(name);
        info.kind = kind;
        info.shape.assign(tensor.sizes().begin(), tensor.sizes().end());
        info.dtype = dtypeName(tensor.scalar_type());
        info.device = QString::fromStdString(tensor.device().str());
        info.elementCount = tensor.numel();
        info.bytes = int64_t(tensor.numel()) * int64_t(tensor.element_size());
        info.requiresGrad = tensor.requires_grad();
        infos.push_back(std::move(info));
    };
    for (const auto &parameter : module.named_parameters(/*recurse=*/true))
        describe(parameter.name, parameter.value, TensorInfo::Kind::Parameter);
    for (const auto &buffer : module.named_buffers(/*recurse=*/true))
        describe(buffer.name, buffer.value, TensorInfo::Kind::Buffer);
    if (!infos.empty())
        return infos;

    // A frozen module keeps its weights as constants of the forward graph.
    const auto forward = module.find_method("forward");
    if (!forward)
        return infos;
    int index = 0;
    for (const torch::jit::Node *node : forward->graph()->nodes()) {
        if (node->kind() != c10::prim::Constant || !node->hasAttribute(c10::attr::value)
            || node->kindOf(c10::attr::value) != torch::jit::AttributeKind::t) {
            continue;
        }
        std::string name = node->output()->hasDebugName() ? node->output()->debugName()
                                                          : "constant." + std::to_string(index);
        if (name.rfind("self.", 0) == 0)
            name = name.substr(5);
        describe(name, node->t(c10::attr::value), TensorInfo::Kind::Constant);
        ++index;
    }
    return infos;
}

QString dtypeName(c10::ScalarType type)
{
    switch (type) {
    case c10::ScalarType::Float:
        return QStringLiteral("float32");
    case c10::ScalarType::Half:
        return QStringLiteral("float16");
    case c10::ScalarType::BFloat16:
        return QStringLiteral("bfloat16");
    case c10::ScalarType::Double:
        return QStringLiteral("float64");
    case c10::ScalarType::Long:
        return QStringLiteral("int64");
    case c10::ScalarType::Int:
        return QStringLiteral("int32");
    case c10::ScalarType::Short:
        return QStringLiteral("int16");
    case c10::ScalarType::Char:
        return QStringLiteral("int8");
    case c10::ScalarType::Byte:
        return QStringLiteral("uint8");
    case c10::ScalarType::Bool:
        return QStringLiteral("bool");
    default:
        return QString::fromLatin1(c10::toString(type)).toLower();
    }
}

c10::ScalarType scalarTypeOf(Precision precision)
{
    switch (precision) {
    case Precision::Float16:
        return c10::ScalarType::Half;
    case Precision::BFloat16:
        return c10::ScalarType::BFloat16;
    case Precision::Float32:
        break;
    }
    return c10::ScalarType::Float;
}

Precision detectPrecision(const torch::jit::Module &module)
{
    std::map<c10::ScalarType, int64_t> bytesByType;
    auto count = [&bytesByType](const at::Tensor &tensor) {
        if (tensor.is_floating_point())
            bytesByType[tensor.scalar_type()] += tensor.numel() * int64_t(tensor.element_size());
    };
    for (const auto &parameter : module.named_parameters(true))
        count(parameter.value);
    for (const auto &buffer : module.named_buffers(true))
        count(buffer.value);
    // A frozen module (torch.jit.freeze) keeps its weights as constants of
    // the forward graph instead of parameters.
    if (bytesByType.empty()) {
        if (const auto forward = module.find_method("forward")) {
            for (const torch::jit::Node *node : forward->graph()->nodes()) {
                if (node->kind() == c10::prim::Constant && node->hasAttribute(c10::attr::value)
                    && node->kindOf(c10::attr::value) == torch::jit::AttributeKind::t) {
                    count(node->t(c10::attr::value));
                }
            }
        }
    }

    c10::ScalarType dominant = c10::ScalarType::Float;
    int64_t most = -1;
    for (const auto &entry : bytesByType) {
        if (entry.second > most) {
            most = entry.second;
            dominant = entry.first;
        }
    }
    if (dominant == c10::ScalarType::Half)
        return Precision::Float16;
    if (dominant == c10::ScalarType::BFloat16)
        return Precision::BFloat16;
    return Precision::Float32;
}

} // namespace halfscope
