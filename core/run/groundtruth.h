// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringList>

#include <vector>

namespace halfscope {

/// The true class of each image, for loss and accuracy.
struct GroundTruth
{
    /// Class index per image, aligned with the image list; -1 where unknown.
    std::vector<int> classes;
    /// Problems that left images unlabelled, for the user to read.
    QStringList warnings;

    int labelledCount() const;
};

/// Returns the index of a class name in classNames: an exact match, else one
/// that ignores case and treats '_' as a space. A whole number is taken as
/// the index itself. Returns -1 when nothing matches.
int findClassIndex(const QString &name, const QStringList &classNames);

/// Labels each image by the name of the folder that contains it (the
/// ImageFolder layout: root/espresso/cup1.jpg). Folder names are matched to
/// classNames with findClassIndex().
GroundTruth groundTruthFromFolders(const QStringList &images, const QStringList &classNames);

/// Labels images from a CSV file of "path,label" rows. Paths are relative
/// to the CSV's folder unless absolute. A label is a class index or a class
/// name. A first row whose label is not a class (such as "path,label") is
/// taken as a header. Images the CSV does not list stay unlabelled. Throws
/// Error naming the file and the line for malformed rows.
GroundTruth groundTruthFromCsv(const QString &csvPath, const QStringList &images,
                               const QStringList &classNames);

} // namespace halfscope
