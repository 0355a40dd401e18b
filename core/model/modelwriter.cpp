// SPDX-License-Identifier: GPL-3.0-or-later
#include "model/modelwriter.h"

#include "common/error.h"
#include "common/logging.h"
#include "model/modeldata.h"
#include "report/atomicfile.h"

#include <QFileInfo>
#include <QJsonDocument>

#include <sstream>

namespace halfscope {

namespace {

torch::jit::ExtraFilesMap extraFilesOf(const Model &model)
{
    torch::jit::ExtraFilesMap files;
    if (!model.classNames().isEmpty())
        files[Model::kLabelsExtraFile] = (model.classNames().join(QLatin1Char('\n')) + QLatin1Char('\n')).toStdString();
    if (model.embeddedPreset())
        files[Model::kPreprocessExtraFile] = QJsonDocument(model.embeddedPreset()->toJson()).toJson().toStdString();
    if (!model.conversionSettings().isEmpty())
        files[Model::kConversionExtraFile] = QJsonDocument(model.conversionSettings()).toJson().toStdString();
    return files;
}

/// Compares the archive's parameters and buffers with the model's.
void verifyArchive(const Model &model, const std::string &archive, const QString &path)
{
    std::istringstream stream(archive);
    const torch::jit::Module reloaded = torch::jit::load(stream, torch::kCPU);
    std::map<std::string, at::Tensor> expected;
    for (const auto &parameter : model.data()->module.named_parameters(true))
        expected.emplace(parameter.name, parameter.value);
    for (const auto &buffer : model.data()->module.named_buffers(true))
        expected.emplace(buffer.name, buffer.value);

    size_t compared = 0;
    auto check = [&](const std::string &name, const at::Tensor &tensor) {
        const auto found = expected.find(name);
        const bool same = found != expected.end() && found->second.scalar_type() == tensor.scalar_type()
            && found->second.sizes() == tensor.sizes() && torch::equal(found->second.cpu(), tensor);
        if (!same) {
            throw Error(QStringLiteral("Writing %1 failed its check: tensor %2 differs from the "
                                       "model after reloading. The file may be unusable; write it "
                                       "again.")
                            .arg(path, QString::fromStdString(name)));
        }
        ++compared;
    };
    for (const auto &parameter : reloaded.named_parameters(true))
        check(parameter.name, parameter.value);
    for (const auto &buffer : reloaded.named_buffers(true))
        check(buffer.name, buffer.value);
    if (compared != expected.size()) {
        throw Error(QStringLiteral("Writing %1 failed its check: the reloaded model has %2 tensors "
                                   "instead of %3.")
                        .arg(path)
                        .arg(compared)
                        .arg(expected.size()));
    }
}

} // namespace

void saveModel(const Model &model, const QString &path)
{
    if (model.isNull())
        throw Error(QStringLiteral("No model to save."));
    if (QFileInfo(path).absoluteFilePath() == QFileInfo(model.path()).absoluteFilePath()) {
        throw Error(QStringLiteral("Refusing to overwrite %1, the file the model was opened from. "
                                   "Choose another output file.")
                        .arg(path));
    }

    std::ostringstream stream;
    try {
        model.data()->module.save(stream, extraFilesOf(model));
        const std::string archive = stream.str();
        verifyArchive(model, archive, path);
        writeFileAtomically(path, QByteArray::fromStdString(archive));
    } catch (const c10::Error &error) {
        throw Error(QStringLiteral("Saving the model to %1 failed: %2.")
                        .arg(path, firstLineOf(error.what_without_backtrace())),
                    QString::fromUtf8(error.what_without_backtrace()));
    }
    qCInfo(lcModel) << "saved" << path;
}

} // namespace halfscope
