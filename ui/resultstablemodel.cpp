// SPDX-License-Identifier: GPL-3.0-or-later
#include "resultstablemodel.h"

#include <QBrush>
#include <QColor>
#include <QFileInfo>

namespace halfscope {

ResultsTableModel::ResultsTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void ResultsTableModel::setResult(ComparisonResult result)
{
    beginResetModel();
    m_result = std::move(result);
    endResetModel();
}

void ResultsTableModel::clear()
{
    setResult(ComparisonResult());
}

int ResultsTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_result.images.size());
}

int ResultsTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ResultsTableModel::displayData(const ImageComparison &image, int column, int role) const
{
    const bool sorting = role == SortRole;
    auto top1 = [this](const Prediction &prediction) {
        return QStringLiteral("%1 (%2)")
            .arg(m_result.className(prediction.top1()))
            .arg(prediction.top1Probability(), 0, 'f', 3);
    };

    if (column == ImageColumn)
        return QFileInfo(image.path).fileName();
    if (!image.compared()) {
        if (column == ReferenceColumn)
            return image.ok() ? tr("not run (cancelled)") : tr("failed: %1").arg(image.error);
        return sorting ? QVariant(-1.0) : QVariant();
    }
    switch (column) {
    case ReferenceColumn:
        return top1(image.reference);
    case ConvertedColumn:
        return top1(image.converted);
    case AgreementColumn:
        return sorting ? QVariant(image.top1Agrees ? 1 : 0)
                       : QVariant(image.top1Agrees ? tr("yes") : tr("no"));
    case LogitDeltaColumn:
        return sorting ? QVariant(double(image.maxLogitDelta))
                       : QVariant(QString::number(image.maxLogitDelta, 'g', 3));
    case ProbabilityDeltaColumn:
        return sorting ? QVariant(double(image.maxProbabilityDelta))
                       : QVariant(QString::number(image.maxProbabilityDelta, 'g', 3));
    }
    return QVariant();
}

QVariant ResultsTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return QVariant();
    const ImageComparison &image = m_result.images[size_t(index.row())];

    if (role == Qt::DisplayRole || role == SortRole)
        return displayData(image, index.column(), role);
    if (role == Qt::ToolTipRole)
        return image.ok() ? image.path : image.path + QLatin1Char('\n') + image.error;
    if (role == Qt::ForegroundRole && !image.ok())
        return QBrush(QColor(0xb0, 0x20, 0x20));
    if (role == Qt::ForegroundRole && index.column() == AgreementColumn && image.compared()
        && !image.top1Agrees)
        return QBrush(QColor(0xb0, 0x20, 0x20));
    if (role == Qt::TextAlignmentRole && index.column() >= LogitDeltaColumn)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    return QVariant();
}

QVariant ResultsTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QVariant();
    switch (section) {
    case ImageColumn:
        return tr("Image");
    case ReferenceColumn:
        return tr("FP32 top-1");
    case ConvertedColumn:
        return tr("%1 top-1").arg(precisionLabel(m_result.precision));
    case AgreementColumn:
        return tr("Agree");
    case LogitDeltaColumn:
        return tr("Max |Δ logit|");
    case ProbabilityDeltaColumn:
        return tr("Max |Δ prob|");
    }
    return QVariant();
}

} // namespace halfscope
