// SPDX-License-Identifier: GPL-3.0-or-later
#include "testsupport.h"

#include "model/model.h"
#include "results/imagedetailspanel.h"
#include "results/imageresultsview.h"
#include "results/resultsproxymodel.h"
#include "results/thumbnailcache.h"
#include "resultstablemodel.h"
#include "run/comparison.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

using namespace halfscope;

namespace {

/// Returns the image paths in the proxy's order.
QStringList proxyPaths(const ResultsProxyModel *proxy)
{
    QStringList paths;
    for (int row = 0; row < proxy->rowCount(); ++row)
        paths << proxy->index(row, 0).data(ResultsTableModel::PathRole).toString();
    return paths;
}

const ImageComparison &imageAt(const ComparisonResult &result, const QString &path)
{
    for (const ImageComparison &image : result.images) {
        if (image.path == path)
            return image;
    }
    static const ImageComparison none;
    return none;
}

} // namespace

class TestResultsView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void modelsPassTester();
    void sortsLargestDriftFirst();
    void sortsDisagreementsFirst();
    void filtersFailedAndText();
    void emptyFilterExplainsItself();
    void noResultsExplainsRun();
    void gridShowsThumbnails();
    void gridDecodesOnlyVisible();
    void detailsShowTopFiveAndInput();
    void detailsShowFailure();
    void repeatedNamesShowFolder();

private:
    QTemporaryDir m_folder;
    QString m_brokenPath;
    ComparisonResult m_result;
};

void TestResultsView::initTestCase()
{
    QVERIFY(m_folder.isValid());
    m_brokenPath = m_folder.filePath(QStringLiteral("notes.png"));
    QFile broken(m_brokenPath);
    QVERIFY(broken.open(QIODevice::WriteOnly));
    broken.write("plain text, not an image\n");
    broken.close();

    // bf16 runs fast on this CPU and drifts more than fp16, so the drift
    // values differ from image to image.
    const Model reference = Model::load(test::demoModel());
    const Model converted = reference.convertedTo(Precision::BFloat16);
    ComparisonOptions options;
    options.tta = TtaPlan::parse(QStringLiteral("hflip"));
    options.timedIterations = 0;
    QStringList paths = test::demoPhotos();
    paths.insert(2, m_brokenPath);
    m_result = compareModels(reference, converted, paths, options);
    QCOMPARE(int(m_result.images.size()), 6);
    QCOMPARE(m_result.comparedCount(), 5);
    QCOMPARE(m_result.failedCount(), 1);
}

void TestResultsView::modelsPassTester()
{
    ImageResultsView view;
    QAbstractItemModelTester sourceTester(view.resultsModel(),
                                          QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester proxyTester(view.proxyModel(),
                                         QAbstractItemModelTester::FailureReportingMode::QtTest);
    view.setResult(m_result);
    for (int sort = 0; sort < view.sortChoice()->count(); ++sort)
        view.sortChoice()->setCurrentIndex(sort);
    for (int filter = 0; filter < view.filterChoice()->count(); ++filter)
        view.filterChoice()->setCurrentIndex(filter);
    view.textFilter()->setText(QStringLiteral("coffee"));
    view.clear();
    QCOMPARE(view.proxyModel()->rowCount(), 0);
}

void TestResultsView::sortsLargestDriftFirst()
{
    ImageResultsView view;
    view.setResult(m_result);
    view.sortChoice()->setCurrentIndex(int(ResultsProxyModel::SortMode::LargestDrift));

    const QStringList order = proxyPaths(view.proxyModel());
    QCOMPARE(order.size(), 6);
    QCOMPARE(order.last(), m_brokenPath);
    for (int row = 1; row < 5; ++row) {
        const float previous = imageAt(m_result, order[row - 1]).maxProbabilityDelta;
        const float current = imageAt(m_result, order[row]).maxProbabilityDelta;
        QVERIFY2(previous >= current, qPrintable(order[row]));
    }
    QVERIFY(imageAt(m_result, order[0]).maxProbabilityDelta
            > imageAt(m_result, order[4]).maxProbabilityDelta);
}

void TestResultsView::sortsDisagreementsFirst()
{
    // The demo photos agree in both precisions, so one is marked as a
    // disagreement the way a run reports it.
    ComparisonResult result = m_result;
    ImageComparison &coffee = result.images[3];
    QVERIFY(coffee.path.endsWith(QLatin1String("coffee.png")));
    coffee.top1Agrees = false;

    ImageResultsView view;
    view.setResult(result);
    view.sortChoice()->setCurrentIndex(int(ResultsProxyModel::SortMode::DisagreementsFirst));
    const QStringList order = proxyPaths(view.proxyModel());
    QCOMPARE(order.first(), coffee.path);
    QCOMPARE(order.last(), m_brokenPath);

    view.filterChoice()->setCurrentIndex(int(ResultsProxyModel::FilterMode::Disagreements));
    QCOMPARE(proxyPaths(view.proxyModel()), QStringList { coffee.path });
}

void TestResultsView::filtersFailedAndText()
{
    ImageResultsView view;
    view.setResult(m_result);
    view.filterChoice()->setCurrentIndex(int(ResultsProxyModel::FilterMode::Failed));
    QCOMPARE(proxyPaths(view.proxyModel()), QStringList { m_brokenPath });

    view.filterChoice()->setCurrentIndex(int(ResultsProxyModel::FilterMode::All));
    view.textFilter()->setText(QStringLiteral("CHELSEA"));
    QCOMPARE(proxyPaths(view.proxyModel()), QStringList { test::demoPhoto(QStringLiteral("chelsea.png")) });

    view.textFilter()->clear();
    QCOMPARE(view.proxyModel()->rowCount(), 6);
}

void TestResultsView::emptyFilterExplainsItself()
{
    ImageResultsView view;
    view.resize(800, 500);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setResult(m_result);
    QVERIFY(!view.emptyLabel()->isVisible());
    QVERIFY(view.gridView()->isVisible());

    view.textFilter()->setText(QStringLiteral("zebra"));
    QCOMPARE(view.proxyModel()->rowCount(), 0);
    QVERIFY(view.emptyLabel()->isVisible());
    QVERIFY(!view.gridView()->isVisible());
    QVERIFY2(view.emptyLabel()->text().contains(QLatin1String("\"zebra\"")), qPrintable(view.emptyLabel()->text()));

    // The table layout shows the same text.
    view.setViewLayout(ImageResultsView::Layout::Table);
    QVERIFY(view.emptyLabel()->isVisible());
    QVERIFY(!view.tableView()->isVisible());

    // A filter mode without matches is named.
    view.textFilter()->clear();
    QVERIFY(view.tableView()->isVisible());
    QVERIFY(!view.emptyLabel()->isVisible());
    view.filterChoice()->setCurrentIndex(int(ResultsProxyModel::FilterMode::NonFinite));
    QCOMPARE(view.proxyModel()->rowCount(), 0);
    QVERIFY(view.emptyLabel()->isVisible());
    QVERIFY2(view.emptyLabel()->text().contains(view.filterChoice()->currentText()), qPrintable(view.emptyLabel()->text()));
}

void TestResultsView::noResultsExplainsRun()
{
    ImageResultsView view;
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QVERIFY(view.emptyLabel()->isVisible());
    QVERIFY2(view.emptyLabel()->text().contains(QLatin1String("Run Comparison")), qPrintable(view.emptyLabel()->text()));

    view.setResult(m_result);
    QVERIFY(!view.emptyLabel()->isVisible());
    view.clear();
    QVERIFY(view.emptyLabel()->isVisible());
    QVERIFY(view.emptyLabel()->text().contains(QLatin1String("Drop images")));

    // During a run the text announces the coming results instead of how to start.
    view.showRunning();
    QVERIFY(view.emptyLabel()->isVisible());
    QVERIFY2(view.emptyLabel()->text().startsWith(QLatin1String("Comparing")), qPrintable(view.emptyLabel()->text()));
    view.setResult(m_result);
    QVERIFY(!view.emptyLabel()->isVisible());
    view.clear();
    QVERIFY(view.emptyLabel()->text().contains(QLatin1String("Drop images")));
}

void TestResultsView::gridShowsThumbnails()
{
    ImageResultsView view;
    view.resize(1000, 700);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setResult(m_result);
    QCOMPARE(view.viewLayout(), ImageResultsView::Layout::Grid);

    const ResultsTableModel *model = view.resultsModel();
    for (int row = 0; row < model->rowCount(); ++row) {
        const QModelIndex cell = model->index(row, ResultsTableModel::ImageColumn);
        const QString path = cell.data(ResultsTableModel::PathRole).toString();
        if (path == m_brokenPath) {
            QTRY_VERIFY(view.thumbnails()->hasFailed(path));
            QVERIFY(cell.data(ResultsTableModel::ThumbnailRole).value<QImage>().isNull());
            continue;
        }
        QTRY_VERIFY_WITH_TIMEOUT(!cell.data(ResultsTableModel::ThumbnailRole).value<QImage>().isNull(), 20000);
        const QImage thumbnail = cell.data(ResultsTableModel::ThumbnailRole).value<QImage>();
        QCOMPARE(std::max(thumbnail.width(), thumbnail.height()), view.thumbnails()->side());
    }
}

void TestResultsView::gridDecodesOnlyVisible()
{
    // 3,000 distinct paths, links to the demo photos.
    QTemporaryDir folder;
    QVERIFY(folder.isValid());
    const QStringList photos = test::demoPhotos();
    ComparisonResult many = m_result;
    many.images.clear();
    for (int i = 0; i < 3000; ++i) {
        const QString source = photos[i % photos.size()];
        const QString link = folder.filePath(QStringLiteral("%1-%2").arg(i).arg(QFileInfo(source).fileName()));
        QVERIFY(QFile::link(source, link));
        ImageComparison image = m_result.images[0];
        image.path = link;
        many.images.push_back(image);
    }

    ImageResultsView view;
    view.resize(900, 600);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setResult(many);
    QCOMPARE(view.proxyModel()->rowCount(), 3000);
    QTRY_VERIFY(view.thumbnails()->requestCount() > 0);
    QTest::qWait(200);
    QVERIFY2(view.thumbnails()->requestCount() < 200,
             qPrintable(QString::number(view.thumbnails()->requestCount())));

    view.gridView()->scrollToBottom();
    const QModelIndex last = view.proxyModel()->index(2999, 0);
    QTRY_VERIFY_WITH_TIMEOUT(!last.data(ResultsTableModel::ThumbnailRole).value<QImage>().isNull(), 20000);
    QVERIFY(view.thumbnails()->requestCount() < 400);
}

void TestResultsView::detailsShowTopFiveAndInput()
{
    ImageResultsView view;
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setResult(m_result);
    view.textFilter()->setText(QStringLiteral("chelsea"));
    QSignalSpy decoded(view.detailsPanel(), &ImageDetailsPanel::inputImageChanged);
    view.selectRow(0);

    const ImageComparison &chelsea = imageAt(m_result, test::demoPhoto(QStringLiteral("chelsea.png")));
    const QString text = view.detailsPanel()->detailsText();
    QCOMPARE(int(chelsea.reference.classes.size()), 5);
    for (int rank = 0; rank < 5; ++rank) {
        QVERIFY2(text.contains(m_result.className(chelsea.reference.classes[size_t(rank)])),
                 qPrintable(text));
        QVERIFY(text.contains(m_result.className(chelsea.converted.classes[size_t(rank)])));
    }
    QVERIFY(text.contains(QStringLiteral("hflip")));
    QVERIFY(text.contains(QString::number(double(chelsea.maxProbabilityDelta), 'f', 4)));

    QTRY_COMPARE_WITH_TIMEOUT(decoded.count(), 1, 20000);
    const QImage input = view.detailsPanel()->inputImage();
    QCOMPARE(input.width(), m_result.options.preset.outputWidth());
    QCOMPARE(input.height(), m_result.options.preset.outputHeight());
}

void TestResultsView::detailsShowFailure()
{
    ImageResultsView view;
    view.setResult(m_result);
    view.filterChoice()->setCurrentIndex(int(ResultsProxyModel::FilterMode::Failed));
    view.selectRow(0);
    const QString text = view.detailsPanel()->detailsText();
    QVERIFY(text.contains(QStringLiteral("notes.png")));
    QVERIFY2(text.contains(imageAt(m_result, m_brokenPath).error), qPrintable(text));
}

void TestResultsView::repeatedNamesShowFolder()
{
    QTemporaryDir folder;
    QVERIFY(QDir(folder.path()).mkpath(QStringLiteral("cats")));
    const QString copy = folder.filePath(QStringLiteral("cats/chelsea.png"));
    QVERIFY(QFile::copy(test::demoPhoto(QStringLiteral("chelsea.png")), copy));

    ComparisonResult result = m_result;
    ImageComparison image = imageAt(m_result, test::demoPhoto(QStringLiteral("chelsea.png")));
    image.path = copy;
    result.images.push_back(image);

    ResultsTableModel model;
    model.setResult(result);
    const int last = model.rowCount() - 1;
    QCOMPARE(model.index(last, ResultsTableModel::ImageColumn).data().toString(),
             QStringLiteral("cats/chelsea.png"));
    QCOMPARE(model.index(1, ResultsTableModel::ImageColumn).data().toString(),
             QStringLiteral("images/chelsea.png"));
    QCOMPARE(model.index(0, ResultsTableModel::ImageColumn).data().toString(),
             QStringLiteral("astronaut.png"));
}

QTEST_MAIN(TestResultsView)
#include "tst_resultsview.moc"
