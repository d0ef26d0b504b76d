package org.loupe.cli.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.loupe.cli.tests.CliTest.contains;
import static org.loupe.cli.tests.CliTest.loupe;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loupe.cli.tests.CliTest.Outcome;
import org.loupe.core.plugins.PluginManager;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.wiring.FrameworkWiring;

import com.google.gson.JsonParser;

/**
 * {@code loupe plugins ...} in-process, on a temporary plug-in folder: a plug-in jar (a manifest and a
 * plugin.xml that declares the example's analysis class under its own id and command) installed,
 * listed, run, disabled, enabled and uninstalled; the exit codes of bad requests.
 */
class PluginsCommandTest {

    private static final String BSN = "org.loupe.fixture.stats";

    @TempDir
    Path dir;

    @BeforeEach
    void useTemporaryFolder() {
        System.setProperty(PluginManager.FOLDER_PROPERTY, dir.resolve("plugins").toString());
    }

    @AfterEach
    void cleanUp() throws InterruptedException {
        System.clearProperty(PluginManager.FOLDER_PROPERTY);
        BundleContext context = FrameworkUtil.getBundle(PluginsCommandTest.class).getBundleContext();
        List<Bundle> gone = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            if (b.getLocation().contains(dir.toUri().getPath())) {
                try {
                    b.uninstall();
                    gone.add(b);
                } catch (BundleException e) {
                    throw new AssertionError(e);
                }
            }
        }
        CountDownLatch done = new CountDownLatch(1);
        context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).adapt(FrameworkWiring.class).refreshBundles(gone, e -> done.countDown());
        assertTrue(done.await(60, TimeUnit.SECONDS));
    }

    private Path pluginJar() throws IOException {
        Manifest m = new Manifest();
        Attributes a = m.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", BSN + ";singleton:=true");
        a.putValue("Bundle-Version", "1.0.0");
        a.putValue("Bundle-Name", "Statistics again (fixture)");
        a.putValue("Require-Bundle", "org.loupe.core,org.loupe.example.analysis");
        Path jar = dir.resolve("stats.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), m)) {
            out.putNextEntry(new JarEntry("plugin.xml"));
            out.write(("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<?eclipse version=\"3.4\"?>\n<plugin>\n"
                    + "  <extension point=\"org.loupe.core.analyses\">\n"
                    + "    <analysis id=\"" + BSN + "\" command=\"fixture-stats\" name=\"Statistics again\" category=\"Test\"\n"
                    + "        appliesTo=\"conv,vector,logits\" requires=\"hookable\" class=\"org.loupe.example.analysis.ActivationStatistics\"\n"
                    + "        description=\"The example's statistics, from an installed plug-in\"/>\n"
                    + "  </extension>\n</plugin>\n").getBytes(StandardCharsets.UTF_8));
        }
        return jar;
    }

    @Test
    void aJarIsInstalledListedRunDisabledEnabledAndUninstalled() throws IOException {
        Outcome installed = loupe("plugins", "install", pluginJar().toString());
        assertEquals(0, installed.code(), installed.err());
        assertEquals("Installed Statistics again (fixture) 1.0.0 (" + BSN + "), which contributes 1 analysis. It is active now.\n",
                installed.out());
        contains(loupe("list").out(), BSN, "The example's statistics, from an installed plug-in");

        Outcome list = loupe("plugins", "list");
        assertEquals(0, list.code(), list.err());
        contains(list.out(), BSN + " 1.0.0 (installed, enabled): Statistics again (fixture)\n  analyses: " + BSN + "\n  from " + dir.resolve("stats.jar"),
                "(built-in, enabled): Loupe example plug-in: activation statistics\n  analyses: org.loupe.example.activationStats\n"
                        + "  result types: org.loupe.example.unitProfile\n",
                "1 installed by the user in " + dir.resolve("plugins"));

        Outcome run = loupe("run", "fixture-stats", "--model", "seq-cnn-seeded", "--layer", "relu1", "--image", "noise:count=4,size=32",
                "--out", dir.resolve("out").toString(), "--runs", dir.resolve("runs").toString());
        assertEquals(0, run.code(), run.err());
        assertEquals(BSN, JsonParser.parseString(Files.readString(dir.resolve("out/run.json"))).getAsJsonObject().getAsJsonObject("provenance")
                .get("analysisId").getAsString(), "the installed plug-in's analysis ran");

        Outcome disabled = loupe("plugins", "disable", BSN);
        assertEquals(0, disabled.code(), disabled.err());
        contains(disabled.out(), "Disabled Statistics again (fixture) (" + BSN + "): its analyses, loaders, sources, result types and views are hidden now");
        assertFalse(loupe("list").out().contains(BSN));
        contains(loupe("plugins", "list").out(), BSN + " 1.0.0 (installed, disabled)");
        Outcome hidden = loupe("run", "fixture-stats", "--model", "seq-cnn-seeded", "--layer", "relu1");
        assertEquals(2, hidden.code(), hidden.err());

        assertEquals(0, loupe("plugins", "enable", BSN).code());
        contains(loupe("list").out(), BSN);

        Outcome twice = loupe("plugins", "install", pluginJar().toString());
        assertEquals(2, twice.code());
        contains(twice.err(), "loupe: " + BSN + " 1.0.0 is already installed. To replace it, uninstall it first (loupe plugins uninstall " + BSN + ").",
                "Try 'loupe plugins install --help'.");

        Outcome removed = loupe("plugins", "uninstall", BSN);
        assertEquals(0, removed.code(), removed.err());
        assertEquals("Uninstalled Statistics again (fixture) (" + BSN + ").\n", removed.out());
        assertFalse(loupe("list").out().contains(BSN));
        Outcome again = loupe("plugins", "uninstall", BSN);
        assertEquals(2, again.code());
        contains(again.err(), "loupe: There is no plug-in '" + BSN + "'. Installed plug-ins: ");
    }

    @Test
    void badRequestsExitWithTwoAndFailuresWithOne() throws IOException {
        Path text = Files.writeString(dir.resolve("notes.jar"), "text");
        Outcome notJar = loupe("plugins", "install", text.toString());
        assertEquals(2, notJar.code());
        contains(notJar.err(), "loupe: " + text + " is not a jar (zip) file.");
        Outcome empty = loupe("plugins", "install", Files.createDirectories(dir.resolve("empty")).toString());
        assertEquals(2, empty.code());
        contains(empty.err(), "is not a p2 repository (update site): it has no content.jar or content.xml.");
        Outcome unreachable = loupe("plugins", "install", "http://127.0.0.1:9/site");
        assertEquals(1, unreachable.code());
        contains(unreachable.err(), "loupe: Cannot reach http://127.0.0.1:9/site: ");
        Outcome both = loupe("plugins", "install", pluginJar().toString(), "--plugin", "x");
        assertEquals(2, both.code());
        contains(both.err(), "--plugin chooses among what a site offers; a jar is one plug-in: drop --plugin");
        Outcome builtIn = loupe("plugins", "uninstall", "org.loupe.example.analysis");
        assertEquals(2, builtIn.code());
        contains(builtIn.err(), "org.loupe.example.analysis is built into Loupe and cannot be uninstalled; disable it instead");
        Outcome noId = loupe("plugins", "disable");
        assertEquals(2, noId.code());
        assertFalse(Files.exists(dir.resolve("plugins/plugins.json")), "nothing was installed");
    }
}
