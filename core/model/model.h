// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "imaging/preprocesspreset.h"
#include "model/tensorinfo.h"
#include "precision/precision.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>
#include <vector>

namespace halfscope {

struct ModelData;

/// A loaded TorchScript module, with the metadata HalfScope read beside it.
///
/// Model is a cheap handle: copies share one module, which is never changed
/// after loading or conversion, so a copy may be handed to a worker thread.
/// Operations that would change the weights (conversion) return a new Model.
class Model
{
public:
    /// Names of the extra files that HalfScope reads from and writes into a
    /// TorchScript archive (torch.jit.save's _extra_files).
    static const char *const kLabelsExtraFile;     ///< One class name per line.
    static const char *const kPreprocessExtraFile; ///< PreprocessPreset::toJson().
    /// Conversion and export settings stored in the archive (see exportModel()).
    static const char *const kConversionExtraFile;

    /// Creates a null model; isNull() returns true.
    Model();

    /// Loads a TorchScript archive (torch.jit.save) onto the CPU.
    ///
    /// Throws Error naming the file when it is missing, unreadable or not a
    /// TorchScript archive. The file is only read.
    static Model load(const QString &path);

    bool isNull() const;

    /// Returns the path the model was loaded from.
    QString path() const;
    /// Returns the file name without folders, for titles and reports.
    QString fileName() const;

    /// Returns every parameter and buffer of the module and its submodules.
    std::vector<TensorInfo> tensors() const;

    /// Returns the precision of the floating-point parameters: Float16 when
    /// most of their bytes are float16, and so on; Float32 for anything else.
    Precision precision() const;

    /// Returns the class names stored in the archive, or an empty list.
    QStringList classNames() const;

    /// Returns the preprocessing stored in the archive, if any.
    std::optional<PreprocessPreset> embeddedPreset() const;

    /// Returns the conversion settings stored in an archive that HalfScope
    /// exported (halfscope.conversion.json), or an empty object.
    QJsonObject conversionSettings() const;

    /// Returns a deep copy whose floating-point parameters and buffers have
    /// the given precision. Integer buffers (BatchNorm's num_batches_tracked)
    /// keep their dtype. This model is left unchanged.
    Model convertedTo(Precision precision) const;

    /// Internal state for the core library (run/, precision/); the type is
    /// only complete in model/modeldata.h, which includes LibTorch.
    const std::shared_ptr<const ModelData> &data() const { return m_data; }
    explicit Model(std::shared_ptr<const ModelData> data);

private:
    std::shared_ptr<const ModelData> m_data;
};

} // namespace halfscope
