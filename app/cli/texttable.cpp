// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/texttable.h"

#include <algorithm>

namespace halfscope::cli {

void TextTable::addColumn(const QString &header, Align align)
{
    m_headers << header;
    m_aligns.push_back(align);
}

void TextTable::addRow(const QStringList &cells)
{
    m_rows.push_back(cells);
}

void TextTable::print(QTextStream &out, int indent) const
{
    std::vector<int> widths;
    for (const QString &header : m_headers)
        widths.push_back(int(header.size()));
    for (const QStringList &row : m_rows) {
        for (int column = 0; column < row.size() && column < int(widths.size()); ++column)
            widths[column] = std::max(widths[column], int(row.at(column).size()));
    }

    const QString margin(indent, QLatin1Char(' '));
    auto printLine = [&](const QStringList &cells) {
        QStringList padded;
        for (int column = 0; column < int(widths.size()); ++column) {
            const QString cell = column < cells.size() ? cells.at(column) : QString();
            padded << (m_aligns[column] == Align::Right ? cell.rightJustified(widths[column])
                                                        : cell.leftJustified(widths[column]));
        }
        // Trailing padding is dropped. Leading spaces of a left-aligned first
        // cell stay, because they indent the rows of a tree.
        QString line = padded.join(QLatin1String("  "));
        while (!line.isEmpty() && line.back().isSpace())
            line.chop(1);
        if (!m_aligns.empty() && m_aligns.front() == Align::Right)
            line = line.trimmed();
        out << margin << line << '\n';
    };

    printLine(m_headers);
    QStringList rules;
    for (int width : widths)
        rules << QString(width, QLatin1Char('-'));
    out << margin << rules.join(QLatin1String("  ")) << '\n';
    for (const QStringList &row : m_rows)
        printLine(row);
}

} // namespace halfscope::cli
