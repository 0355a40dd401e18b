// SPDX-License-Identifier: GPL-3.0-or-later
#include "report/csvreport.h"

#include "report/atomicfile.h"

#include <cmath>

namespace halfscope {

namespace {

/// Quotes a field when it contains a comma, a quote or a line break.
QString csvField(const QString &value)
{
    if (!value.contains(QLatin1Char(',')) && !value.contains(QLatin1Char('"'))
        && !value.contains(QLatin1Char('\n')) && !value.contains(QLatin1Char('\r'))) {
        return value;
    }
    QString quoted = value;
    quoted.replace(QLatin1String("\""), QLatin1String("\"\""));
    return QLatin1Char('"') + quoted + QLatin1Char('"');
}

QString number(double value)
{
    return std::isnan(value) ? QStringLiteral("nan") : QString::number(value, 'g', 9);
}

QString statusOf(const ImageComparison &image)
{
    if (!image.ok())
        return QStringLiteral("failed");
    return image.compared() ? QStringLiteral("ok") : QStringLiteral("not_run");
}

QStringList predictionFields(const ComparisonResult &result, const Prediction &prediction)
{
    if (prediction.classes.empty())
        return { QString(), QString(), QString() };
    return { QString::number(prediction.top1()), result.className(prediction.top1()),
             number(double(prediction.top1Probability())) };
}

QStringList targetFields(const ComparisonResult &result, const ImageComparison &image)
{
    if (image.targetClass < 0)
        return QStringList(6, QString());
    QStringList fields { QString::number(image.targetClass), result.className(image.targetClass) };
    if (!image.compared())
        return fields + QStringList(4, QString());
    return fields + QStringList { number(double(image.referenceTarget.probability)),
                                  QString::number(image.referenceTarget.rank),
                                  number(double(image.convertedTarget.probability)),
                                  QString::number(image.convertedTarget.rank) };
}

QStringList rowOf(const ComparisonResult &result, const ImageComparison &image)
{
    QStringList row { image.path, statusOf(image), image.error };
    row += predictionFields(result, image.reference);
    row += predictionFields(result, image.converted);
    if (image.compared()) {
        row << (image.top1Agrees ? QStringLiteral("true") : QStringLiteral("false"))
            << number(double(image.maxLogitDelta)) << number(double(image.maxProbabilityDelta))
            << (image.nonFinite ? QStringLiteral("true") : QStringLiteral("false"));
    } else {
        row += QStringList(4, QString());
    }
    row += targetFields(result, image);
    return row;
}

} // namespace

QStringList comparisonCsvColumns()
{
    return { QStringLiteral("path"), QStringLiteral("status"), QStringLiteral("error"),
             QStringLiteral("reference_top1_class"), QStringLiteral("reference_top1_name"),
             QStringLiteral("reference_top1_probability"), QStringLiteral("converted_top1_class"),
             QStringLiteral("converted_top1_name"), QStringLiteral("converted_top1_probability"),
             QStringLiteral("top1_agrees"), QStringLiteral("max_abs_logit_delta"),
             QStringLiteral("max_abs_probability_delta"), QStringLiteral("non_finite"),
             QStringLiteral("target_class"), QStringLiteral("target_name"),
             QStringLiteral("reference_target_probability"), QStringLiteral("reference_target_rank"),
             QStringLiteral("converted_target_probability"), QStringLiteral("converted_target_rank") };
}

QByteArray comparisonToCsv(const ComparisonResult &result)
{
    QString text = comparisonCsvColumns().join(QLatin1Char(',')) + QLatin1Char('\n');
    for (const ImageComparison &image : result.images) {
        QStringList fields;
        for (const QString &field : rowOf(result, image))
            fields << csvField(field);
        text += fields.join(QLatin1Char(',')) + QLatin1Char('\n');
    }
    return text.toUtf8();
}

void writeComparisonCsv(const ComparisonResult &result, const QString &path)
{
    writeFileAtomically(path, comparisonToCsv(result));
}

} // namespace halfscope
