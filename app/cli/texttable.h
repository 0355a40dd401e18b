// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringList>
#include <QTextStream>

#include <vector>

namespace halfscope::cli {

/// Plain-text table with columns padded to their widest cell.
class TextTable
{
public:
    enum class Align { Left, Right };

    /// Adds a column; call before adding rows.
    void addColumn(const QString &header, Align align = Align::Left);
    /// Adds a row with one cell per column.
    void addRow(const QStringList &cells);
    /// Writes the header, a rule and the rows, each line indented by indent spaces.
    void print(QTextStream &out, int indent = 0) const;

private:
    QStringList m_headers;
    std::vector<Align> m_aligns;
    std::vector<QStringList> m_rows;
};

} // namespace halfscope::cli
