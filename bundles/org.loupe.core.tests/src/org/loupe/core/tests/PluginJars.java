package org.loupe.core.tests;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.loupe.core.tests.fixture.GreetingAnalysis;

/**
 * Builds what the plug-in manager's tests install: a plug-in bundle jar (the class files of
 * {@link GreetingAnalysis} with a manifest and a plugin.xml that declares it), and a p2 update site
 * holding such jars, with its metadata in the layout Tycho writes (units with {@code osgi.bundle}
 * capabilities, a feature group requiring its bundles, jars under {@code plugins/ID_VERSION.jar}).
 */
final class PluginJars {

    static final String BSN = "org.loupe.fixture.greeting";
    static final String ANALYSIS = "org.loupe.fixture.greeting.hello";

    private PluginJars() {
    }

    /** The fixture plug-in: one analysis {@link #ANALYSIS}, needing org.loupe.core. */
    static Path greeting(Path dir, String bsn, String analysisId) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Require-Bundle", "org.loupe.core");
        headers.put("Import-Package", "ai.djl.ndarray;version=\"[0.36,0.37)\"");
        return jar(dir.resolve(bsn + ".jar"), bsn, "1.2.3", headers, pluginXml(analysisId));
    }

    static String pluginXml(String analysisId) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<?eclipse version=\"3.4\"?>\n<plugin>\n"
                + "  <extension point=\"org.loupe.core.analyses\">\n"
                + "    <analysis id=\"" + analysisId + "\" name=\"Hello (fixture)\" category=\"Test\" appliesTo=\"model\"\n"
                + "        class=\"" + GreetingAnalysis.class.getName() + "\" description=\"Says hello\"/>\n"
                + "  </extension>\n</plugin>\n";
    }

    /** A bundle jar with the greeting classes, {@code headers} and {@code pluginXml} (none if null). */
    static Path jar(Path file, String bsn, String version, Map<String, String> headers, String pluginXml) throws IOException {
        Manifest m = new Manifest();
        Attributes a = m.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (bsn != null) {
            a.putValue("Bundle-ManifestVersion", "2");
            a.putValue("Bundle-SymbolicName", bsn + ";singleton:=true");
            a.putValue("Bundle-Version", version);
            a.putValue("Bundle-Name", "Greeting fixture " + bsn);
            a.putValue("Bundle-ActivationPolicy", "lazy");
        }
        headers.forEach(a::putValue);
        Files.createDirectories(file.getParent());
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(file), m)) {
            for (Class<?> c : List.of(GreetingAnalysis.class, GreetingAnalysis.Params.class)) {
                String entry = c.getName().replace('.', '/') + ".class";
                out.putNextEntry(new JarEntry(entry));
                try (InputStream in = c.getClassLoader().getResourceAsStream(entry)) {
                    in.transferTo(out);
                }
            }
            if (pluginXml != null) {
                out.putNextEntry(new JarEntry("plugin.xml"));
                out.write(pluginXml.getBytes(StandardCharsets.UTF_8));
            }
        }
        return file;
    }

    /**
     * An update site in {@code dir} offering {@code bundleJar} (symbolic name {@code bsn}, version 1.2.3)
     * and a feature {@code featureId} of it, with {@code content.jar} if {@code compressed}, else content.xml.
     */
    static Path site(Path dir, Path bundleJar, String bsn, String featureId, boolean compressed) throws IOException {
        String v = "1.2.3";
        Files.createDirectories(dir.resolve("plugins"));
        Files.copy(bundleJar, dir.resolve("plugins/" + bsn + "_" + v + ".jar"));
        String xml = "<?xml version='1.0' encoding='UTF-8'?>\n<?metadataRepository version='1.2.0'?>\n"
                + "<repository name='fixture' type='org.eclipse.equinox.internal.p2.metadata.repository.LocalMetadataRepository' version='1'>\n"
                + "  <units size='3'>\n"
                + "    <unit id='" + bsn + "' version='" + v + "'>\n"
                + "      <properties size='1'><property name='org.eclipse.equinox.p2.name' value='Greeting fixture'/></properties>\n"
                + "      <provides size='2'>\n"
                + "        <provided namespace='org.eclipse.equinox.p2.iu' name='" + bsn + "' version='" + v + "'/>\n"
                + "        <provided namespace='osgi.bundle' name='" + bsn + "' version='" + v + "'/>\n"
                + "      </provides>\n"
                + "      <requires size='1'><required namespace='osgi.bundle' name='org.loupe.core' range='0.0.0'/></requires>\n"
                + "    </unit>\n"
                + "    <unit id='org.loupe.core' version='0.1.0.1'>\n"
                + "      <provides size='1'><provided namespace='osgi.bundle' name='org.loupe.core' version='0.1.0.1'/></provides>\n"
                + "    </unit>\n"
                + "    <unit id='" + featureId + ".feature.group' version='" + v + "' singleton='false'>\n"
                + "      <properties size='2'>\n"
                + "        <property name='org.eclipse.equinox.p2.name' value='Greeting feature'/>\n"
                + "        <property name='org.eclipse.equinox.p2.type.group' value='true'/>\n"
                + "      </properties>\n"
                + "      <provides size='1'><provided namespace='org.eclipse.equinox.p2.iu' name='" + featureId + ".feature.group' version='" + v + "'/></provides>\n"
                + "      <requires size='3'>\n"
                + "        <required namespace='org.eclipse.equinox.p2.iu' name='" + bsn + "' range='[" + v + "," + v + "]'/>\n"
                + "        <required namespace='org.eclipse.equinox.p2.iu' name='org.loupe.core' range='0.0.0'/>\n"
                + "        <required namespace='org.eclipse.equinox.p2.iu' name='" + featureId + ".feature.jar' range='[" + v + "," + v + "]'/>\n"
                + "      </requires>\n"
                + "    </unit>\n"
                + "  </units>\n</repository>\n";
        byte[] bytes = xml.getBytes(StandardCharsets.UTF_8);
        if (compressed) {
            ByteArrayOutputStream zip = new ByteArrayOutputStream();
            try (ZipOutputStream out = new ZipOutputStream(zip)) {
                out.putNextEntry(new ZipEntry("content.xml"));
                out.write(bytes);
            }
            Files.write(dir.resolve("content.jar"), zip.toByteArray());
        } else {
            try (OutputStream out = Files.newOutputStream(dir.resolve("content.xml"))) {
                out.write(bytes);
            }
        }
        return dir;
    }
}
