// SPDX-License-Identifier: GPL-3.0-or-later
#include "model/weightloading.h"

#include "checkpoint/checkpointdata.h"
#include "common/error.h"
#include "common/logging.h"
#include "model/modeldata.h"

#include <QMap>
#include <QSet>

namespace halfscope {

namespace {

const char *const kWrapperPrefixes[] = { "module.", "model.", "_orig_mod." };

/// A checkpoint tensor under the name it has after mapping and stripping.
struct MatchedKey
{
    QString checkpointKey;
    std::shared_ptr<TensorRef> tensor;
};

QString applyMappings(QString key, const std::vector<KeyPrefixMapping> &mappings)
{
    for (const KeyPrefixMapping &mapping : mappings) {
        if (key.startsWith(mapping.from))
            key = mapping.to + key.mid(mapping.from.size());
    }
    return key;
}

/// Strips wrapper prefixes from key while that turns it into a module name.
QString stripWrappers(const QString &key, const QSet<QString> &moduleNames, QSet<QString> &stripped)
{
    QString current = key;
    QStringList removed;
    for (int round = 0; round < 3 && !moduleNames.contains(current); ++round) {
        bool changed = false;
        for (const char *prefix : kWrapperPrefixes) {
            if (current.startsWith(QLatin1String(prefix))) {
                removed << QLatin1String(prefix);
                current = current.mid(int(qstrlen(prefix)));
                changed = true;
                break;
            }
        }
        if (!changed)
            break;
    }
    if (!moduleNames.contains(current))
        return key;
    for (const QString &prefix : removed)
        stripped.insert(prefix);
    return current;
}

QStringList choosePath(const Checkpoint &checkpoint, const WeightLoadOptions &options)
{
    if (options.stateDictChosen || !options.stateDictPath.isEmpty())
        return options.stateDictPath;
    const std::vector<StateDictCandidate> candidates = checkpoint.stateDicts();
    if (candidates.empty()) {
        throw Error(QStringLiteral("%1 contains no dictionary of tensors that could be a state dict.")
                        .arg(checkpoint.path()));
    }
    return candidates.front().keyPath;
}

QString shapeOf(const std::vector<int64_t> &sizes)
{
    QStringList parts;
    for (int64_t size : sizes)
        parts << QString::number(size);
    return QLatin1Char('[') + parts.join(QLatin1String(", ")) + QLatin1Char(']');
}

WeightLoadReport match(const Model &architecture, const Checkpoint &checkpoint,
                       const WeightLoadOptions &options, QMap<QString, MatchedKey> &matches)
{
    if (architecture.isNull() || checkpoint.isNull())
        throw Error(QStringLiteral("Open an architecture model and a checkpoint first."));

    QMap<QString, const TensorInfo *> moduleTensors;
    for (const TensorInfo &tensor : architecture.data()->tensors)
        moduleTensors.insert(tensor.name, &tensor);
    const QSet<QString> moduleNames(moduleTensors.keyBegin(), moduleTensors.keyEnd());

    WeightLoadReport report;
    const QStringList path = choosePath(checkpoint, options);
    report.stateDictPath = StateDictCandidate { path, 0, 0 }.pathText();

    QSet<QString> stripped;
    for (const NamedTensor &entry : checkpoint.tensorsAt(path)) {
        QString name = applyMappings(entry.name, options.prefixMappings);
        if (options.stripWrapperPrefixes)
            name = stripWrappers(name, moduleNames, stripped);
        const auto target = moduleTensors.constFind(name);
        if (target == moduleTensors.constEnd() || matches.contains(name)) {
            report.unexpected << entry.name;
            continue;
        }
        if (entry.tensor->sizes != (*target)->shape) {
            report.mismatched.push_back({ name, entry.tensor->shapeText(), shapeOf((*target)->shape) });
            continue;
        }
        matches.insert(name, MatchedKey { entry.name, entry.tensor });
        report.matched << name;
    }
    for (const QString &name : moduleTensors.keys()) {
        const bool mismatched = std::any_of(report.mismatched.begin(), report.mismatched.end(),
                                            [&name](const auto &m) { return m.name == name; });
        if (!matches.contains(name) && !mismatched)
            report.missing << name;
    }
    report.strippedPrefixes = QStringList(stripped.begin(), stripped.end());
    report.strippedPrefixes.sort();
    return report;
}

} // namespace

bool WeightLoadReport::isComplete() const
{
    return missing.isEmpty() && unexpected.isEmpty() && mismatched.empty();
}

QString WeightLoadReport::describe() const
{
    auto listed = [](const QStringList &names) {
        QStringList shown = names.mid(0, 10);
        if (names.size() > 10)
            shown << QStringLiteral("and %1 more").arg(names.size() - 10);
        return shown.join(QLatin1String(", "));
    };
    QStringList lines;
    lines << QStringLiteral("State dict: %1").arg(stateDictPath);
    if (!strippedPrefixes.isEmpty())
        lines << QStringLiteral("Stripped prefixes: %1").arg(strippedPrefixes.join(QLatin1String(", ")));
    lines << QStringLiteral("Matched: %1").arg(matched.size());
    if (!missing.isEmpty())
        lines << QStringLiteral("Missing from the checkpoint (%1): %2").arg(missing.size()).arg(listed(missing));
    if (!unexpected.isEmpty())
        lines << QStringLiteral("Unexpected in the checkpoint (%1): %2").arg(unexpected.size()).arg(listed(unexpected));
    if (!mismatched.empty()) {
        QStringList shapes;
        for (const ShapeMismatch &mismatch : mismatched)
            shapes << QStringLiteral("%1 (checkpoint %2, model %3)").arg(mismatch.name, mismatch.checkpointShape, mismatch.modelShape);
        lines << QStringLiteral("Shape mismatches (%1): %2").arg(mismatched.size()).arg(listed(shapes));
    }
    return lines.join(QLatin1Char('\n'));
}

WeightLoadReport planWeightLoad(const Model &architecture, const Checkpoint &checkpoint,
                                const WeightLoadOptions &options)
{
    QMap<QString, MatchedKey> matches;
    return match(architecture, checkpoint, options, matches);
}

Model loadWeights(const Model &architecture, const Checkpoint &checkpoint,
                  const WeightLoadOptions &options, bool allowPartial, WeightLoadReport *report)
{
    QMap<QString, MatchedKey> matches;
    const WeightLoadReport planned = match(architecture, checkpoint, options, matches);
    if (report)
        *report = planned;
    if (!planned.isComplete() && !allowPartial) {
        throw Error(QStringLiteral("The checkpoint %1 does not match the architecture %2:\n%3\n"
                                   "Map key prefixes, choose another state dict, or accept a "
                                   "partial load.")
                        .arg(checkpoint.fileName(), architecture.fileName(), planned.describe()));
    }
    if (planned.matched.isEmpty()) {
        throw Error(QStringLiteral("No tensor of %1 matches a parameter or buffer of %2:\n%3")
                        .arg(checkpoint.fileName(), architecture.fileName(), planned.describe()));
    }

    auto loaded = std::make_shared<ModelData>(*architecture.data());
    loaded->module = architecture.data()->module.clone();
    std::map<std::string, at::Tensor> targets;
    for (const auto &parameter : loaded->module.named_parameters(true))
        targets.emplace(parameter.name, parameter.value);
    for (const auto &buffer : loaded->module.named_buffers(true))
        targets.emplace(buffer.name, buffer.value);

    torch::NoGradGuard noGrad;
    for (auto it = matches.constBegin(); it != matches.constEnd(); ++it) {
        at::Tensor target = targets.at(it.key().toStdString());
        target.copy_(loadTensor(checkpoint, *it.value().tensor));
    }
    loaded->module.eval();
    loaded->tensors = describeTensors(loaded->module);
    loaded->precision = detectPrecision(loaded->module);
    qCInfo(lcModel) << "loaded" << matches.size() << "tensors from" << checkpoint.path();
    return Model(std::move(loaded));
}

} // namespace halfscope
