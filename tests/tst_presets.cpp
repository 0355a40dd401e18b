// SPDX-License-Identifier: GPL-3.0-or-later
#include "testsupport.h"

#include "mainwindow.h"
#include "presets/preseteditordialog.h"
#include "presets/presetstore.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFile>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QtTest>

using namespace halfscope;

namespace {

PreprocessPreset caffePreset()
{
    PreprocessPreset preset = PreprocessPreset::imagenet();
    preset.name = QStringLiteral("caffe/bgr");
    preset.interpolation = PreprocessPreset::Interpolation::Bicubic;
    preset.channelOrder = PreprocessPreset::ChannelOrder::Bgr;
    preset.maxValue = 255.0f;
    preset.mean = { 104.0f, 117.0f, 123.0f };
    preset.std = { 1.0f, 1.0f, 1.0f };
    return preset;
}

} // namespace

class TestPresets : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void storeRoundTripsPresets();
    void storeSkipsDamagedEntry();
    void dialogEditsEveryField();
    void dialogRejectsInvalidPresets();
    void dialogExportsAndImports();
    void dialogReportsInvalidImport();
    void windowRunsSavedPreset();
    void windowRestoresRunSettings();

private:
    QTemporaryDir m_config;
};

void TestPresets::initTestCase()
{
    // QSettings writes under XDG_CONFIG_HOME, kept apart from the user's own.
    QVERIFY(m_config.isValid());
    qputenv("XDG_CONFIG_HOME", m_config.path().toUtf8());
    QCoreApplication::setOrganizationName(QStringLiteral("HalfScopeTest"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_presets"));
}

void TestPresets::init()
{
    QSettings().clear();
}

void TestPresets::storeRoundTripsPresets()
{
    PresetStore store;
    PreprocessPreset small = PreprocessPreset::squash224();
    small.name = QStringLiteral("small");
    small.width = 96;
    small.height = 64;
    store.save(caffePreset());
    store.save(small);

    const std::vector<PreprocessPreset> presets = PresetStore().presets();
    QCOMPARE(int(presets.size()), 2);
    QVERIFY(presets[0] == caffePreset());
    QVERIFY(presets[1] == small);
    QVERIFY(QFile::exists(QSettings().fileName()));
    QVERIFY(QSettings().fileName().startsWith(m_config.path()));

    store.remove(QStringLiteral("caffe/bgr"));
    QCOMPARE(int(store.presets().size()), 1);
    QCOMPARE(store.presets().front().name, QStringLiteral("small"));
}

void TestPresets::storeSkipsDamagedEntry()
{
    PresetStore store;
    store.save(caffePreset());
    QSettings().setValue(QStringLiteral("presets/broken"), QByteArray("{\"format\": 3}"));

    const std::vector<PreprocessPreset> presets = store.presets();
    QCOMPARE(int(presets.size()), 1);
    QCOMPARE(presets.front().name, QStringLiteral("caffe/bgr"));
}

void TestPresets::dialogEditsEveryField()
{
    PresetEditorDialog dialog(PreprocessPreset::squash224());
    dialog.setPreset(caffePreset());
    QVERIFY(dialog.preset() == caffePreset());
    QVERIFY(dialog.validationError().isEmpty());

    auto *width = dialog.findChild<QSpinBox *>(QStringLiteral("presetCropWidth"));
    auto *interpolation = dialog.findChild<QComboBox *>(QStringLiteral("presetInterpolation"));
    QVERIFY(width);
    QVERIFY(interpolation);
    width->setValue(200);
    interpolation->setCurrentIndex(int(PreprocessPreset::Interpolation::Area));
    QCOMPARE(dialog.preset().cropWidth, 200);
    QCOMPARE(dialog.preset().interpolation, PreprocessPreset::Interpolation::Area);
}

void TestPresets::dialogRejectsInvalidPresets()
{
    PresetEditorDialog dialog(caffePreset());
    auto *buttons = dialog.findChild<QDialogButtonBox *>();
    auto *name = dialog.findChild<QLineEdit *>(QStringLiteral("presetName"));
    QVERIFY(buttons);
    QVERIFY(name);
    QVERIFY(buttons->button(QDialogButtonBox::Save)->isEnabled());

    name->setText(QString());
    QVERIFY(!buttons->button(QDialogButtonBox::Save)->isEnabled());
    QVERIFY(dialog.validationError().contains(QStringLiteral("name")));

    name->setText(QStringLiteral("imagenet"));
    QVERIFY(!buttons->button(QDialogButtonBox::Save)->isEnabled());
    QVERIFY(dialog.validationError().contains(QStringLiteral("built-in")));

    // Resizing the shorter side leaves the size open, so a crop is required.
    name->setText(QStringLiteral("mine"));
    dialog.findChild<QCheckBox *>(QStringLiteral("presetCrop"))->setChecked(false);
    QVERIFY(!buttons->button(QDialogButtonBox::Save)->isEnabled());
    QVERIFY2(dialog.validationError().contains(QStringLiteral("crop")), qPrintable(dialog.validationError()));
}

void TestPresets::dialogExportsAndImports()
{
    QTemporaryDir folder;
    const QString path = folder.filePath(QStringLiteral("caffe.json"));
    PresetEditorDialog source(caffePreset());
    QCOMPARE(source.exportFile(path), QString());
    QVERIFY(PreprocessPreset::readFile(path) == caffePreset());

    PresetEditorDialog target(PreprocessPreset::squash224());
    QCOMPARE(target.importFile(path), QString());
    QVERIFY(target.preset() == caffePreset());
}

void TestPresets::dialogReportsInvalidImport()
{
    QTemporaryDir folder;
    const QString path = folder.filePath(QStringLiteral("notes.json"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("{\"format\": \"halfscope.preprocess\", \"version\": 2, \"resize_mode\": \"stretch\"}");
    file.close();

    PresetEditorDialog dialog(caffePreset());
    const QString error = dialog.importFile(path);
    QVERIFY2(error.contains(path), qPrintable(error));
    QVERIFY2(error.contains(QStringLiteral("resize_mode")), qPrintable(error));
    QVERIFY(dialog.preset() == caffePreset());
    QVERIFY(!dialog.exportFile(folder.filePath(QStringLiteral("missing/out.json"))).isEmpty());
}

void TestPresets::windowRunsSavedPreset()
{
    PreprocessPreset preset = PreprocessPreset::squash224();
    preset.name = QStringLiteral("tiny 96");
    preset.width = 96;
    preset.height = 96;
    preset.interpolation = PreprocessPreset::Interpolation::Bicubic;

    MainWindow window;
    window.openModel(test::demoModel());
    QTRY_VERIFY_WITH_TIMEOUT(!window.referenceModel().isNull(), 30000);
    window.savePreset(preset);
    auto *presetCombo = window.findChild<QComboBox *>(QStringLiteral("presetCombo"));
    QVERIFY(presetCombo);
    QVERIFY(presetCombo->currentText().startsWith(QStringLiteral("tiny 96")));

    window.addImages({ test::demoPhoto(QStringLiteral("chelsea.png")) });
    window.findChild<QSpinBox *>(QStringLiteral("timedRunsSpin"))->setValue(0);
    QSignalSpy finished(&window, &MainWindow::comparisonFinished);
    window.runComparison();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 120000);
    QVERIFY(window.lastResult().options.preset == preset);
    QCOMPARE(window.lastResult().comparedCount(), 1);

    // A new window lists the saved preset.
    MainWindow secondWindow;
    auto *otherCombo = secondWindow.findChild<QComboBox *>(QStringLiteral("presetCombo"));
    QVERIFY(otherCombo->findData(QStringLiteral("user:tiny 96")) >= 0);
}

void TestPresets::windowRestoresRunSettings()
{
    {
        MainWindow window;
        window.openModel(test::demoModel());
        QTRY_VERIFY_WITH_TIMEOUT(!window.referenceModel().isNull(), 30000);
        window.addImages({ test::demoPhoto(QStringLiteral("coffee.png")) });
        window.findChild<QComboBox *>(QStringLiteral("ttaCombo"))->setCurrentText(QStringLiteral("vflip"));
        window.findChild<QSpinBox *>(QStringLiteral("batchSpin"))->setValue(3);
        window.findChild<QSpinBox *>(QStringLiteral("timedRunsSpin"))->setValue(0);
        window.findChild<QSpinBox *>(QStringLiteral("threadsSpin"))->setValue(1);
        auto *memoryFormat = window.findChild<QComboBox *>(QStringLiteral("memoryFormatCombo"));
        QCOMPARE(memoryFormat->currentData().toString(), QStringLiteral("channels_last"));
        memoryFormat->setCurrentIndex(memoryFormat->findData(QStringLiteral("contiguous")));
        QSignalSpy finished(&window, &MainWindow::comparisonFinished);
        window.runComparison();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 120000);
        QCOMPARE(window.lastResult().options.tta.viewCount(), 2);
        QCOMPARE(window.lastResult().intraOpThreads, 1);
        QCOMPARE(window.lastResult().memoryFormat, MemoryFormat::Contiguous);
    }

    MainWindow restored;
    QCOMPARE(restored.findChild<QComboBox *>(QStringLiteral("ttaCombo"))->currentText(), QStringLiteral("vflip"));
    QCOMPARE(restored.findChild<QSpinBox *>(QStringLiteral("batchSpin"))->value(), 3);
    QCOMPARE(restored.findChild<QSpinBox *>(QStringLiteral("timedRunsSpin"))->value(), 0);
    QCOMPARE(restored.findChild<QSpinBox *>(QStringLiteral("threadsSpin"))->value(), 1);
    QCOMPARE(restored.findChild<QComboBox *>(QStringLiteral("memoryFormatCombo"))->currentData().toString(),
             QStringLiteral("contiguous"));
}

QTEST_MAIN(TestPresets)
#include "tst_presets.moc"
