package org.loupe.core.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.eclipse.core.runtime.RegistryFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loupe.core.analysis.Analysis;
import org.loupe.core.plugins.PluginChange;
import org.loupe.core.plugins.PluginException;
import org.loupe.core.plugins.PluginInfo;
import org.loupe.core.plugins.PluginManager;
import org.loupe.core.plugins.SitePlugin;
import org.loupe.core.registry.AnalysisDescriptor;
import org.loupe.core.registry.LoupeRegistry;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * The plug-in manager against the running OSGi framework: a real bundle jar installed from a jar and
 * from an update site into a temporary plug-in folder, its analysis in the registry, disable, enable,
 * uninstall, a restart (a new manager on the same folder), and every bad input's message.
 */
class PluginManagerTest {

    @TempDir
    Path tmp;

    private Path folder;
    private BundleContext context;
    private PluginManager manager;

    @BeforeEach
    void setUp() {
        folder = tmp.resolve("plugins");
        context = FrameworkUtil.getBundle(PluginManagerTest.class).getBundleContext();
        manager = new PluginManager(folder, context, RegistryFactory.getRegistry());
    }

    @AfterEach
    void removeFixtureBundles() {
        List<Bundle> gone = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            if (b.getLocation().contains(tmp.toUri().getPath())) {
                try {
                    b.uninstall();
                    gone.add(b);
                } catch (BundleException e) {
                    throw new AssertionError(e);
                }
            }
        }
        refresh(gone);
    }

    private LoupeRegistry registry() {
        return new LoupeRegistry(RegistryFactory.getRegistry(), PluginManager.enabledContributors(folder));
    }

    private Optional<AnalysisDescriptor> greeting() {
        return registry().analysis(PluginJars.ANALYSIS);
    }

    private PluginInfo info(String id) throws PluginException {
        return manager.list().stream().filter(p -> p.id().equals(id)).findFirst().orElseThrow(() -> new AssertionError("not listed: " + id));
    }

    @Test
    void aJarIsInstalledDisabledEnabledSurvivesARestartAndIsUninstalled() throws Exception {
        Path jar = PluginJars.greeting(tmp.resolve("build"), PluginJars.BSN, PluginJars.ANALYSIS);
        assertTrue(greeting().isEmpty());

        PluginChange installed = manager.installJar(jar);
        assertTrue(installed.message().contains("Installed Greeting fixture " + PluginJars.BSN + " 1.2.3"), installed.message());
        assertTrue(installed.message().contains("1 analysis"), installed.message());
        assertFalse(installed.restartNeeded());
        assertTrue(Files.isRegularFile(folder.resolve(PluginJars.BSN + "_1.2.3.jar")));
        Analysis<?> analysis = greeting().orElseThrow().createAnalysis();
        assertEquals(PluginJars.BSN, FrameworkUtil.getBundle(analysis.getClass()).getSymbolicName(), "the class comes from the installed bundle");

        PluginInfo listed = info(PluginJars.BSN);
        assertFalse(listed.builtIn());
        assertTrue(listed.enabled());
        assertEquals("1.2.3", listed.version());
        assertEquals(Map.of("analyses", List.of(PluginJars.ANALYSIS)), listed.contributions());
        assertEquals(jar.toAbsolutePath().toString(), listed.source());

        PluginChange disabled = manager.disable(PluginJars.BSN);
        assertTrue(disabled.message().contains("hidden now"), disabled.message());
        assertTrue(greeting().isEmpty(), "a disabled plug-in's analysis is not in the registry");
        assertFalse(info(PluginJars.BSN).enabled());
        assertEquals(PluginJars.BSN + " is already disabled.", manager.disable(PluginJars.BSN).message());

        manager.enable(PluginJars.BSN);
        assertTrue(greeting().isPresent(), "enabled again, the analysis is back");

        manager.disable(PluginJars.BSN);
        restart();
        assertFalse(info(PluginJars.BSN).enabled(), "the state survives a restart");
        Bundle b = fixtureBundle(PluginJars.BSN);
        assertEquals(Bundle.RESOLVED, b.getState(), "a disabled plug-in's bundle is not started at start-up");
        assertTrue(greeting().isEmpty());
        manager.enable(PluginJars.BSN);
        assertTrue(greeting().isPresent());
        assertTrue((fixtureBundle(PluginJars.BSN).getState() & (Bundle.ACTIVE | Bundle.STARTING)) != 0, "enabling starts it (lazily)");

        PluginChange removed = manager.uninstall(PluginJars.BSN);
        assertTrue(removed.message().startsWith("Uninstalled Greeting fixture"), removed.message());
        assertTrue(greeting().isEmpty(), "an uninstalled plug-in's analysis is gone");
        assertFalse(Files.exists(folder.resolve(PluginJars.BSN + "_1.2.3.jar")));
        assertTrue(manager.list().stream().noneMatch(p -> p.id().equals(PluginJars.BSN)));
        restart();
        assertTrue(greeting().isEmpty(), "and stays gone after a restart");
    }

    @Test
    void aFeatureIsInstalledFromACompressedSiteWithOnlyTheBundlesLoupeLacks() throws Exception {
        Path jar = PluginJars.greeting(tmp.resolve("build"), PluginJars.BSN, PluginJars.ANALYSIS);
        Path site = PluginJars.site(tmp.resolve("site"), jar, PluginJars.BSN, "org.loupe.fixture.feature", true);

        List<SitePlugin> offers = manager.offers(site.toString());
        SitePlugin feature = offers.stream().filter(SitePlugin::feature).findFirst().orElseThrow();
        assertEquals("org.loupe.fixture.feature", feature.id());
        assertEquals("Greeting feature", feature.name());
        assertEquals(List.of(PluginJars.BSN, "org.loupe.core"), feature.bundles());
        assertEquals(List.of(PluginJars.BSN), feature.missing(), "org.loupe.core is in Loupe already");

        PluginChange change = manager.installFromSite(site.toUri().toString(), null);
        assertTrue(change.message().contains("(org.loupe.fixture.feature)"), change.message());
        assertTrue(greeting().isPresent());
        PluginInfo listed = info("org.loupe.fixture.feature");
        assertEquals(List.of(PluginJars.BSN), listed.bundles());
        assertEquals(site.toUri().toString(), listed.source());
        assertEquals(List.of(PluginJars.BSN + "_1.2.3.jar"), Files.list(folder).map(p -> p.getFileName().toString())
                .filter(n -> n.endsWith(".jar")).toList());

        PluginException twice = assertThrows(PluginException.class, () -> manager.installFromSite(site.toString(), "org.loupe.fixture.feature"));
        assertEquals("org.loupe.fixture.feature 1.2.3 is already installed. To replace it, uninstall it first "
                + "(loupe plugins uninstall org.loupe.fixture.feature).", twice.getMessage());
        manager.uninstall("org.loupe.fixture.feature");
        assertTrue(greeting().isEmpty());
    }

    @Test
    void aBundleIsInstalledByIdFromAnUncompressedSite() throws Exception {
        Path jar = PluginJars.greeting(tmp.resolve("build"), PluginJars.BSN, PluginJars.ANALYSIS);
        Path site = PluginJars.site(tmp.resolve("site"), jar, PluginJars.BSN, "org.loupe.fixture.feature", false);
        manager.installFromSite(site.toString(), PluginJars.BSN);
        assertTrue(greeting().isPresent());
        assertEquals(List.of(PluginJars.BSN), info(PluginJars.BSN).bundles());

        PluginException core = assertThrows(PluginException.class, () -> manager.installFromSite(site.toString(), "org.loupe.core"));
        assertTrue(core.getMessage().startsWith("org.loupe.core is already in Loupe"), core.getMessage());
        PluginException unknown = assertThrows(PluginException.class, () -> manager.installFromSite(site.toString(), "org.nothing"));
        assertTrue(unknown.getMessage().contains("offers no plug-in 'org.nothing'. Its features: org.loupe.fixture.feature"), unknown.getMessage());
        assertTrue(unknown.isWrongRequest());
    }

    @Test
    void aJarDroppedIntoTheFolderIsInstalledAtTheNextStart() throws Exception {
        PluginJars.greeting(folder, PluginJars.BSN, PluginJars.ANALYSIS);
        Files.writeString(folder.resolve("notes.jar"), "not a jar");
        List<String> problems = manager.startUp();
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("notes.jar in " + folder + " was not installed: "), problems.get(0));
        assertTrue(greeting().isPresent());
        assertTrue(info(PluginJars.BSN).source().startsWith("dropped into"));
        assertTrue(Files.exists(folder.resolve(PluginJars.BSN + ".jar")), "a dropped jar stays where it was put");
    }

    @Test
    void aStartOnAnotherFolderLeavesOutThePluginsOfTheFirst() throws Exception {
        manager.installJar(PluginJars.greeting(tmp.resolve("build"), PluginJars.BSN, PluginJars.ANALYSIS));
        Path other = tmp.resolve("other-plugins");
        assertEquals(List.of(), new PluginManager(other, context, RegistryFactory.getRegistry()).startUp());
        assertTrue(Arrays.stream(context.getBundles()).noneMatch(b -> PluginJars.BSN.equals(b.getSymbolicName())),
                "the first folder's bundle left the framework");
        LoupeRegistry onOther = new LoupeRegistry(RegistryFactory.getRegistry(), PluginManager.enabledContributors(other));
        assertTrue(onOther.analysis(PluginJars.ANALYSIS).isEmpty(), "its analysis is not offered on the other folder");

        assertEquals(List.of(), new PluginManager(folder, context, RegistryFactory.getRegistry()).startUp());
        assertTrue(greeting().isPresent(), "a start on the first folder installs it again");
    }

    @Test
    void aBuiltInPluginIsDisabledAndEnabledButNotUninstalled() throws Exception {
        String bsn = "org.loupe.core.tests";
        PluginInfo self = info(bsn);
        assertTrue(self.builtIn());
        assertTrue(self.contributions().get("analyses").contains("org.loupe.core.tests.unitMean"));
        assertEquals(List.of("test-gray"), self.contributions().get("image sources"));
        assertTrue(registry().analysis("org.loupe.core.tests.unitMean").isPresent());

        PluginChange off = manager.disable(bsn);
        assertTrue(off.message().contains("built-in plug-ins stay installed"), off.message());
        assertTrue(registry().analysis("org.loupe.core.tests.unitMean").isEmpty());
        assertTrue(registry().imageSources().stream().noneMatch(s -> s.id().equals("test-gray")));
        assertFalse(info(bsn).enabled());

        PluginException uninstall = assertThrows(PluginException.class, () -> manager.uninstall(bsn));
        assertEquals(bsn + " is built into Loupe and cannot be uninstalled; disable it instead (loupe plugins disable " + bsn + ").",
                uninstall.getMessage());
        PluginException core = assertThrows(PluginException.class, () -> manager.disable("org.loupe.core"));
        assertEquals("org.loupe.core is part of Loupe itself and cannot be disabled.", core.getMessage());

        manager.enable(bsn);
        assertTrue(registry().analysis("org.loupe.core.tests.unitMean").isPresent());
    }

    @Test
    void badJarsAreRefusedWithAMessageAndChangeNothing() throws Exception {
        Path notJar = Files.writeString(tmp.resolve("x.jar"), "text");
        assertEquals(notJar + " is not a jar (zip) file. A plug-in is a .jar with an OSGi manifest, as its build writes to target/.",
                wrong(() -> manager.installJar(notJar)));
        Path plainJar = PluginJars.jar(tmp.resolve("plain.jar"), null, null, Map.of(), null);
        assertEquals(plainJar + " is a jar but not a plug-in: its META-INF/MANIFEST.MF has no Bundle-SymbolicName. Build the plug-in as an "
                + "OSGi bundle (eclipse-plugin in Tycho).", wrong(() -> manager.installJar(plainJar)));
        assertEquals("There is no file " + tmp.resolve("none.jar") + ".", wrong(() -> manager.installJar(tmp.resolve("none.jar"))));
        assertTrue(wrong(() -> manager.installJar(tmp)).startsWith(tmp + " is a folder, not a plug-in jar."));
        Path core = PluginJars.jar(tmp.resolve("core.jar"), "org.loupe.core", "9.0.0", Map.of(), null);
        assertTrue(wrong(() -> manager.installJar(core)).startsWith("org.loupe.core is already part of Loupe (built in, version 0.1.0"));

        Path needy = PluginJars.jar(tmp.resolve("needy.jar"), "org.loupe.fixture.needy", "1.0.0",
                Map.of("Require-Bundle", "org.loupe.core,org.loupe.nonexistent;bundle-version=\"[2.0,3.0)\",org.optional;resolution:=optional",
                        "Import-Package", "org.nothing.here,org.osgi.framework"), PluginJars.pluginXml("org.loupe.fixture.needy.a"));
        PluginException e = assertThrows(PluginException.class, () -> manager.installJar(needy));
        assertFalse(e.isWrongRequest());
        assertEquals("org.loupe.fixture.needy needs what this Loupe does not have: bundle org.loupe.nonexistent [2.0.0,3.0.0); package "
                + "org.nothing.here. Install the plug-in that provides it first, or get a build of org.loupe.fixture.needy for this "
                + "version of Loupe.", e.getMessage());
        Path oldCore = PluginJars.jar(tmp.resolve("old.jar"), "org.loupe.fixture.old", "1.0.0",
                Map.of("Require-Bundle", "org.loupe.core;bundle-version=\"[7.0,8.0)\""), null);
        assertTrue(assertThrows(PluginException.class, () -> manager.installJar(oldCore)).getMessage()
                .startsWith("org.loupe.fixture.old needs what this Loupe does not have: bundle org.loupe.core [7.0.0,8.0.0) (Loupe has 0.1.0"));

        manager.installJar(PluginJars.greeting(tmp.resolve("build"), PluginJars.BSN, PluginJars.ANALYSIS));
        byte[] state = Files.readAllBytes(folder.resolve("plugins.json"));
        Path again = PluginJars.greeting(tmp.resolve("again"), PluginJars.BSN, PluginJars.ANALYSIS);
        assertEquals(PluginJars.BSN + " 1.2.3 is already installed. To replace it, uninstall it first (loupe plugins uninstall "
                + PluginJars.BSN + ").", wrong(() -> manager.installJar(again)));
        assertThrows(PluginException.class, () -> manager.installJar(needy));
        assertArrayEquals(state, Files.readAllBytes(folder.resolve("plugins.json")), "failed installs leave the state as it was");
        assertEquals(List.of("org.loupe.fixture.greeting_1.2.3.jar", "plugins.json"), Files.list(folder).map(p -> p.getFileName().toString())
                .sorted().toList(), "and leave no file behind");
        assertTrue(greeting().isPresent());
    }

    @Test
    void unknownPluginIdsAreRefusedWithTheInstalledOnes() {
        String msg = wrong(() -> manager.uninstall("org.nothing"));
        assertTrue(msg.startsWith("There is no plug-in 'org.nothing'. Installed plug-ins: "), msg);
        assertTrue(msg.contains("org.loupe.core.tests"), msg);
        assertTrue(wrong(() -> manager.disable("org.nothing")).startsWith("There is no plug-in 'org.nothing'."));
        assertTrue(wrong(() -> manager.enable("org.nothing")).startsWith("There is no plug-in 'org.nothing'."));
    }

    @Test
    void badSitesAreRefusedWithAMessage() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertEquals(empty + " is not a p2 repository (update site): it has no content.jar or content.xml. Give the folder or URL that "
                + "holds them, such as releng/org.loupe.repository/target/repository.", wrong(() -> manager.offers(empty.toString())));
        assertEquals("There is no file or folder " + tmp.resolve("none") + ".", wrong(() -> manager.offers(tmp.resolve("none").toString())));
        Path file = Files.writeString(tmp.resolve("file.txt"), "x");
        assertTrue(wrong(() -> manager.offers(file.toString())).startsWith(file + " is a file, not an update site folder."));
        assertEquals("'ftp://example.org/site' is neither a folder nor a file:, http: or https: URL.",
                wrong(() -> manager.offers("ftp://example.org/site")));
        Path notXml = Files.createDirectories(tmp.resolve("bad"));
        Files.writeString(notXml.resolve("content.xml"), "<html>no</html>");
        assertEquals(notXml + " is not a p2 repository: its content metadata is not a <repository>.", wrong(() -> manager.offers(notXml.toString())));
        Files.writeString(notXml.resolve("content.xml"), "not xml");
        assertTrue(wrong(() -> manager.offers(notXml.toString())).startsWith(notXml + " is not a p2 repository: its content metadata is not valid XML"));

        PluginException unreachable = assertThrows(PluginException.class, () -> manager.offers("http://127.0.0.1:9/site"));
        assertFalse(unreachable.isWrongRequest());
        assertTrue(unreachable.getMessage().startsWith("Cannot reach http://127.0.0.1:9/site: "), unreachable.getMessage());

        Path jar = PluginJars.greeting(tmp.resolve("build"), PluginJars.BSN, PluginJars.ANALYSIS);
        Path site = PluginJars.site(tmp.resolve("site"), jar, PluginJars.BSN, "org.loupe.fixture.feature", true);
        Files.delete(site.resolve("plugins/" + PluginJars.BSN + "_1.2.3.jar"));
        assertEquals(site + " lists " + PluginJars.BSN + " 1.2.3 but does not have its jar plugins/" + PluginJars.BSN + "_1.2.3.jar.",
                assertThrows(PluginException.class, () -> manager.installFromSite(site.toString(), null)).getMessage());
        assertFalse(Files.exists(folder.resolve("plugins.json")), "nothing was installed");
    }

    @Test
    void aBrokenStateFileIsReportedAndLeftAsItIs() throws Exception {
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("plugins.json"), "{\"plugins\": [");
        PluginException e = assertThrows(PluginException.class, () -> manager.list());
        assertTrue(e.getMessage().startsWith(folder.resolve("plugins.json") + " is not the plug-in list Loupe writes"), e.getMessage());
        assertTrue(e.getMessage().endsWith("Fix it or move it away; Loupe leaves it as it is."), e.getMessage());
        assertThrows(PluginException.class, () -> manager.installJar(PluginJars.greeting(tmp.resolve("b"), PluginJars.BSN, PluginJars.ANALYSIS)));
        assertEquals("{\"plugins\": [", Files.readString(folder.resolve("plugins.json"), StandardCharsets.UTF_8));
        assertEquals(List.of(e.getMessage()), manager.startUp());
        assertTrue(registry().analysis("org.loupe.core.tests.unitMean").isPresent(), "an unreadable state disables nothing");
    }

    /** A "restart": the plug-in bundles leave the framework, and a new manager on the same folder starts them again. */
    private void restart() throws IOException {
        removeFixtureBundles();
        manager = new PluginManager(folder, context, RegistryFactory.getRegistry());
        assertEquals(List.of(), manager.startUp());
    }

    private Bundle fixtureBundle(String bsn) {
        for (Bundle b : context.getBundles()) {
            if (bsn.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError("no bundle " + bsn);
    }

    private void refresh(List<Bundle> bundles) {
        if (bundles.isEmpty()) {
            return;
        }
        CountDownLatch done = new CountDownLatch(1);
        context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).adapt(FrameworkWiring.class).refreshBundles(bundles, ev -> done.countDown());
        try {
            assertTrue(done.await(60, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private interface Call {
        void run() throws Exception;
    }

    /** The message of the wrong-request failure of {@code call}. */
    private static String wrong(Call call) {
        PluginException e = assertThrows(PluginException.class, call::run);
        assertTrue(e.isWrongRequest(), "a wrong request: " + e.getMessage());
        return e.getMessage();
    }
}
