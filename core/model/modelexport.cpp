// SPDX-License-Identifier: GPL-3.0-or-later
#include "model/modelexport.h"

#include "common/error.h"
#include "common/logging.h"
#include "model/modeldata.h"
#include "report/atomicfile.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

#include <map>
#include <sstream>

namespace halfscope {

namespace {

/// Returns the prim::Constant nodes that hold tensors, in the graph and its sub-blocks.
std::vector<torch::jit::Node *> tensorConstants(torch::jit::Block *block)
{
    std::vector<torch::jit::Node *> nodes;
    for (torch::jit::Node *node : block->nodes()) {
        if (node->kind() == c10::prim::Constant && node->hasAttribute(c10::attr::value)
            && node->kindOf(c10::attr::value) == torch::jit::AttributeKind::t) {
            nodes.push_back(node);
        }
        for (torch::jit::Block *child : node->blocks()) {
            const std::vector<torch::jit::Node *> inner = tensorConstants(child);
            nodes.insert(nodes.end(), inner.begin(), inner.end());
        }
    }
    return nodes;
}

std::vector<torch::jit::Node *> forwardTensorConstants(torch::jit::Module &module)
{
    return tensorConstants(module.get_method("forward").graph()->block());
}

bool hasFloat32Tensors(const torch::jit::Module &module)
{
    for (const auto &parameter : module.named_parameters(true)) {
        if (parameter.value.scalar_type() == c10::ScalarType::Float)
            return true;
    }
    for (const auto &buffer : module.named_buffers(true)) {
        if (buffer.value.scalar_type() == c10::ScalarType::Float)
            return true;
    }
    return false;
}

/// Checks the frozen graph for float32 constants in a lower-precision model,
/// and casts them back when allowed. Freezing folds BatchNorm into the
/// preceding convolution; LibTorch versions that compute the folded weights
/// in float32 would otherwise leave float32 weights behind.
void checkFrozenConstants(torch::jit::Module &frozen, const Model &model, const ExportOptions &options,
                          ExportReport &report)
{
    if (model.precision() == Precision::Float32)
        return;
    const c10::ScalarType target = scalarTypeOf(model.precision());
    std::vector<torch::jit::Node *> float32Constants;
    for (torch::jit::Node *node : forwardTensorConstants(frozen)) {
        if (node->t(c10::attr::value).scalar_type() == c10::ScalarType::Float)
            float32Constants.push_back(node);
    }
    if (float32Constants.empty() || hasFloat32Tensors(model.data()->module))
        return;

    report.float32ConstantsAfterFreeze = int(float32Constants.size());
    if (!options.recastFrozenConstants) {
        report.warnings << QStringLiteral("Freezing left %1 float32 weight tensors in the %2 "
                                          "model (BatchNorm folded into convolutions in "
                                          "float32). The exported model runs those layers in "
                                          "float32 or fails on %2 inputs.")
                               .arg(float32Constants.size())
                               .arg(precisionName(model.precision()));
        return;
    }
    for (torch::jit::Node *node : float32Constants) {
        const at::Tensor cast = node->t(c10::attr::value).to(target);
        node->t_(c10::attr::value, cast);
        node->output()->inferTypeFrom(cast);
    }
    report.recastConstants = int(float32Constants.size());
    report.warnings << QStringLiteral("Freezing turned %1 weight tensors into float32 (BatchNorm "
                                      "folded into convolutions); they were cast back to %2.")
                           .arg(float32Constants.size())
                           .arg(precisionName(model.precision()));
}

QJsonObject conversionSettings(const Model &model, const ExportOptions &options, const ExportReport &report)
{
    QJsonObject settings { { QStringLiteral("format"), QStringLiteral("halfscope.conversion") },
                           { QStringLiteral("version"), 1 },
                           { QStringLiteral("precision"), precisionName(model.precision()) },
                           { QStringLiteral("source_model"), QFileInfo(model.path()).fileName() },
                           { QStringLiteral("frozen"), report.frozen },
                           { QStringLiteral("optimized_for_inference"), report.optimized },
                           { QStringLiteral("recast_constants"), report.recastConstants } };
    const QJsonObject previous = model.conversionSettings();
    if (!previous.isEmpty() && !options.freeze && !options.optimizeForInference)
        settings.insert(QStringLiteral("previous"), previous);
    return settings;
}

torch::jit::ExtraFilesMap extraFilesFor(const Model &model, const ExportOptions &options,
                                        const ExportReport &report)
{
    torch::jit::ExtraFilesMap files;
    const QStringList names = options.classNames.isEmpty() ? model.classNames() : options.classNames;
    if (!names.isEmpty())
        files[Model::kLabelsExtraFile] = (names.join(QLatin1Char('\n')) + QLatin1Char('\n')).toStdString();
    const std::optional<PreprocessPreset> preset = options.preset ? options.preset : model.embeddedPreset();
    if (preset)
        files[Model::kPreprocessExtraFile] = QJsonDocument(preset->toJson()).toJson().toStdString();
    files[Model::kConversionExtraFile]
        = QJsonDocument(conversionSettings(model, options, report)).toJson().toStdString();
    return files;
}

/// Returns the first tensor of a forward() output (a tensor, or a tuple or list starting with one).
at::Tensor firstTensor(const c10::IValue &output, const QString &path)
{
    if (output.isTensor())
        return output.toTensor();
    if (output.isTuple() && !output.toTupleRef().elements().empty()
        && output.toTupleRef().elements()[0].isTensor()) {
        return output.toTupleRef().elements()[0].toTensor();
    }
    if (output.isTensorList() && !output.toTensorList().empty())
        return output.toTensorList().get(0);
    throw Error(QStringLiteral("Cannot check the export to %1: forward() returned %2, not a tensor.")
                    .arg(path, QString::fromStdString(output.tagKind())));
}

at::Tensor sampleInput(const Model &model, const ExportOptions &options)
{
    const PreprocessPreset preset = options.preset.value_or(model.embeddedPreset().value_or(PreprocessPreset::imagenet()));
    auto generator = at::make_generator<at::CPUGeneratorImpl>(20261204);
    return torch::rand({ 1, 3, preset.outputHeight(), preset.outputWidth() }, generator, torch::kFloat32)
        .to(scalarTypeOf(model.precision()));
}

QStringList floatingDtypes(torch::jit::Module &module, bool includeConstants)
{
    std::map<QString, int> counts;
    auto count = [&counts](const at::Tensor &tensor) {
        if (tensor.is_floating_point())
            ++counts[dtypeName(tensor.scalar_type())];
    };
    for (const auto &parameter : module.named_parameters(true))
        count(parameter.value);
    for (const auto &buffer : module.named_buffers(true))
        count(buffer.value);
    if (includeConstants) {
        for (torch::jit::Node *node : forwardTensorConstants(module))
            count(node->t(c10::attr::value));
    }
    QStringList dtypes;
    for (const auto &[name, number] : counts)
        dtypes << QStringLiteral("%1 x %2").arg(name).arg(number);
    return dtypes;
}

void checkPath(const Model &model, const QString &path, const ExportOptions &options)
{
    if (model.isNull())
        throw Error(QStringLiteral("No model to export. Open a model and convert it first."));
    const QFileInfo info(path);
    if (path.isEmpty() || info.isDir()) {
        throw Error(QStringLiteral("Cannot export to \"%1\": give the name of a .pt file, not a "
                                   "folder.")
                        .arg(path));
    }
    if (!info.absoluteDir().exists()) {
        throw Error(QStringLiteral("Cannot export to %1: the folder %2 does not exist.")
                        .arg(path, info.absolutePath()));
    }
    const bool opened = info.absoluteFilePath() == QFileInfo(model.path()).absoluteFilePath()
        || (info.exists() && info.canonicalFilePath() == QFileInfo(model.path()).canonicalFilePath());
    if (opened && !options.overwriteOpenedFile) {
        throw Error(QStringLiteral("Refusing to overwrite %1, the file the model was opened from. "
                                   "Choose another output file.")
                        .arg(path));
    }
}

/// Reloads the archive and checks its extra files, dtypes and output against exported.
void verifyExport(const std::string &archive, torch::jit::Module &exported, const Model &model,
                  const torch::jit::ExtraFilesMap &written, const ExportOptions &options,
                  ExportReport &report)
{
    std::istringstream stream(archive);
    torch::jit::ExtraFilesMap extraFiles;
    for (const auto &file : written)
        extraFiles[file.first] = std::string();
    torch::jit::Module reloaded = torch::jit::load(stream, torch::kCPU, extraFiles);
    reloaded.eval();
    for (const auto &file : written) {
        if (extraFiles[file.first] != file.second) {
            throw Error(QStringLiteral("Exporting to %1 failed its check: the extra file %2 differs "
                                       "after reloading.")
                            .arg(report.path, QString::fromStdString(file.first)));
        }
    }

    report.tensorDtypes = floatingDtypes(reloaded, report.frozen);
    const QStringList exportedDtypes = floatingDtypes(exported, report.frozen);
    if (report.tensorDtypes != exportedDtypes) {
        throw Error(QStringLiteral("Exporting to %1 failed its check: the reloaded model's tensor "
                                   "dtypes (%2) differ from the exported module's (%3).")
                        .arg(report.path, report.tensorDtypes.join(QLatin1String(", ")),
                             exportedDtypes.join(QLatin1String(", "))));
    }

    const at::Tensor input = sampleInput(model, options);
    const at::Tensor expected = firstTensor(exported.forward({ input }), report.path);
    const at::Tensor actual = firstTensor(reloaded.forward({ input }), report.path);
    // Module handles share state, so a copy of the handle runs the loaded module.
    torch::jit::Module converted = model.data()->module;
    const at::Tensor unfrozen = firstTensor(converted.forward({ input }), report.path);
    report.outputDtype = dtypeName(actual.scalar_type());
    if (actual.scalar_type() != expected.scalar_type() || actual.sizes() != expected.sizes()) {
        throw Error(QStringLiteral("Exporting to %1 failed its check: the reloaded model returns "
                                   "%2 %3 instead of %4 %5.")
                        .arg(report.path, dtypeName(actual.scalar_type()),
                             QString::fromStdString(c10::str(actual.sizes())),
                             dtypeName(expected.scalar_type()),
                             QString::fromStdString(c10::str(expected.sizes()))));
    }
    report.reloadDifference = (actual.to(torch::kFloat32) - expected.to(torch::kFloat32)).abs().max().item<double>();
    report.freezeDifference = (expected.to(torch::kFloat32) - unfrozen.to(torch::kFloat32)).abs().max().item<double>();
    if (report.reloadDifference != 0.0) {
        throw Error(QStringLiteral("Exporting to %1 failed its check: the reloaded model's output "
                                   "differs from the exported module's by up to %2.")
                        .arg(report.path)
                        .arg(report.reloadDifference));
    }
    if (unfrozen.scalar_type() != actual.scalar_type()) {
        report.warnings << QStringLiteral("The exported model returns %1, but the converted model "
                                          "returns %2.")
                               .arg(dtypeName(actual.scalar_type()), dtypeName(unfrozen.scalar_type()));
    }
}

torch::jit::Module buildModule(const Model &model, const ExportOptions &options, ExportReport &report)
{
    torch::jit::Module module = model.data()->module.clone();
    module.eval();
    if (!options.freeze && !options.optimizeForInference)
        return module;
    // optimize_for_inference freezes an unfrozen module itself; freezing
    // first lets the constant check run before its rewrites.
    module = torch::jit::freeze(module);
    report.frozen = true;
    checkFrozenConstants(module, model, options, report);
    if (options.optimizeForInference) {
        module = torch::jit::optimize_for_inference(module);
        report.optimized = true;
    }
    return module;
}

} // namespace

ExportReport exportModel(const Model &model, const QString &path, const ExportOptions &options)
{
    checkPath(model, path, options);
    ExportReport report;
    report.path = path;
    report.precision = precisionName(model.precision());

    try {
        torch::NoGradGuard noGrad;
        torch::jit::Module exported = buildModule(model, options, report);
        const torch::jit::ExtraFilesMap extraFiles = extraFilesFor(model, options, report);
        std::ostringstream stream;
        exported.save(stream, extraFiles);
        const std::string archive = stream.str();
        verifyExport(archive, exported, model, extraFiles, options, report);
        writeFileAtomically(path, QByteArray::fromStdString(archive));
        report.bytes = qint64(archive.size());
    } catch (const c10::Error &error) {
        throw Error(QStringLiteral("Exporting the model to %1 failed: %2.")
                        .arg(path, firstLineOf(error.what_without_backtrace())),
                    QString::fromUtf8(error.what_without_backtrace()));
    } catch (const Error &) {
        throw;
    } catch (const std::exception &error) {
        throw Error(QStringLiteral("Exporting the model to %1 failed: %2.").arg(path, firstLineOf(error.what())));
    }
    for (const QString &warning : report.warnings)
        qCWarning(lcModel) << warning;
    qCInfo(lcModel) << "exported" << path << "frozen" << report.frozen << "optimized" << report.optimized
                    << report.tensorDtypes;
    return report;
}

} // namespace halfscope
