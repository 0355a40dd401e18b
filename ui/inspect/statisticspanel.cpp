// SPDX-License-Identifier: GPL-3.0-or-later
#include "inspect/statisticspanel.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPushButton>

namespace halfscope {

StatisticsPanel::StatisticsPanel(QWidget *parent)
    : QWidget(parent)
{
    m_computeButton = new QPushButton(tr("Statistics"));
    m_computeButton->setObjectName(QStringLiteral("statisticsButton"));
    m_computeButton->setToolTip(tr("Compute min, max, mean, std and float16 overflow, subnormal and "
                                   "underflow counts of the selected tensor"));
    m_computeButton->setEnabled(false);
    m_resultLabel = new QLabel(tr("Select a tensor for its value statistics."));
    m_resultLabel->setObjectName(QStringLiteral("statisticsLabel"));
    m_resultLabel->setWordWrap(true);
    m_resultLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_computeButton, 0, Qt::AlignTop);
    layout->addWidget(m_resultLabel, 1);
    connect(m_computeButton, &QPushButton::clicked, this, [this] {
        if (!m_name.isEmpty())
            Q_EMIT computeRequested(m_name);
    });
}

void StatisticsPanel::setTensorName(const QString &name)
{
    if (name == m_name)
        return;
    m_name = name;
    m_computeButton->setEnabled(!name.isEmpty());
    m_resultLabel->setText(name.isEmpty() ? tr("Select a tensor for its value statistics.")
                                          : tr("%1: click Statistics to compute.").arg(name));
}

void StatisticsPanel::showBusy()
{
    m_resultLabel->setText(tr("Computing statistics of %1…").arg(m_name));
}

void StatisticsPanel::showStatistics(const TensorStatistics &statistics)
{
    const QLocale locale(QLocale::English);
    auto count = [&locale](int64_t value) { return locale.toString(qlonglong(value)); };
    auto number = [](double value) { return QString::number(value, 'g', 6); };
    QString text = tr("<b>%1</b> (%2): min %3, max %4, mean %5, std %6; zeros %7, NaN %8, inf %9.")
                       .arg(statistics.name.toHtmlEscaped(), statistics.dtype, number(statistics.min),
                            number(statistics.max), number(statistics.mean), number(statistics.std),
                            count(statistics.zeroCount), count(statistics.nanCount), count(statistics.infCount));
    if (statistics.floatingPoint) {
        text += tr("<br>In float16: %1 become inf, %2 subnormal, %3 zero.")
                    .arg(count(statistics.fp16OverflowCount), count(statistics.fp16SubnormalCount),
                         count(statistics.fp16UnderflowCount));
    }
    m_resultLabel->setText(text);
}

void StatisticsPanel::showError(const QString &message)
{
    m_resultLabel->setText(message.toHtmlEscaped());
}

QString StatisticsPanel::text() const
{
    return m_resultLabel->text();
}

} // namespace halfscope
