package org.loupe.core.plugins;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.zip.ZipException;

import org.eclipse.osgi.util.ManifestElement;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.Version;
import org.osgi.framework.VersionRange;

/**
 * A bundle jar read from disk: its symbolic name, version, name and what it needs from other bundles.
 *
 * @param path         the jar
 * @param symbolicName its {@code Bundle-SymbolicName}
 * @param version      its {@code Bundle-Version}
 * @param name         its {@code Bundle-Name}, or the symbolic name
 * @param requirements its non-optional {@code Require-Bundle} and {@code Import-Package} entries
 * @param exports      the packages it exports, with their versions
 */
record BundleJar(Path path, String symbolicName, Version version, String name, List<Requirement> requirements, Map<String, Version> exports) {

    /** One thing a bundle needs: a bundle or a package, in a version range. */
    record Requirement(boolean bundle, String name, VersionRange range) {

        /** "bundle org.x [1.0,2.0)" or "package org.x.y". */
        String describe() {
            String r = range.equals(ANY) ? "" : " " + range;
            return (bundle ? "bundle " : "package ") + name + r;
        }
    }

    private static final VersionRange ANY = new VersionRange("0.0.0");

    /**
     * Reads the jar at {@code path}.
     *
     * @throws PluginException if it is missing, not a jar, or not an OSGi bundle
     */
    static BundleJar read(Path path) throws PluginException {
        if (!Files.exists(path)) {
            throw PluginException.wrongRequest("There is no file " + path.toAbsolutePath() + ".");
        }
        if (!Files.isRegularFile(path)) {
            throw PluginException.wrongRequest(path.toAbsolutePath() + " is a folder, not a plug-in jar. Give the .jar file, "
                    + "or for an update site the folder that holds content.jar.");
        }
        Manifest manifest;
        try (JarFile jar = new JarFile(path.toFile())) {
            manifest = jar.getManifest();
        } catch (ZipException e) {
            throw PluginException.wrongRequest(path.toAbsolutePath() + " is not a jar (zip) file. A plug-in is a .jar with an "
                    + "OSGi manifest, as its build writes to target/.");
        } catch (IOException e) {
            throw PluginException.failed("Cannot read " + path.toAbsolutePath() + ": " + e.getMessage(), e);
        }
        Attributes a = manifest == null ? new Attributes() : manifest.getMainAttributes();
        String bsn = a.getValue(Constants.BUNDLE_SYMBOLICNAME);
        if (bsn == null || bsn.isBlank()) {
            throw PluginException.wrongRequest(path.toAbsolutePath() + " is a jar but not a plug-in: its META-INF/MANIFEST.MF "
                    + "has no Bundle-SymbolicName. Build the plug-in as an OSGi bundle (eclipse-plugin in Tycho).");
        }
        try {
            String symbolicName = ManifestElement.parseHeader(Constants.BUNDLE_SYMBOLICNAME, bsn)[0].getValue();
            String v = a.getValue(Constants.BUNDLE_VERSION);
            Version version = v == null ? Version.emptyVersion : Version.parseVersion(v.trim());
            String name = a.getValue(Constants.BUNDLE_NAME);
            List<Requirement> needs = new ArrayList<>();
            needs.addAll(requirements(true, Constants.REQUIRE_BUNDLE, a.getValue(Constants.REQUIRE_BUNDLE), Constants.BUNDLE_VERSION_ATTRIBUTE));
            needs.addAll(requirements(false, Constants.IMPORT_PACKAGE, a.getValue(Constants.IMPORT_PACKAGE), Constants.VERSION_ATTRIBUTE));
            Map<String, Version> exports = new LinkedHashMap<>();
            String exported = a.getValue(Constants.EXPORT_PACKAGE);
            for (ManifestElement e : exported == null ? new ManifestElement[0] : ManifestElement.parseHeader(Constants.EXPORT_PACKAGE, exported)) {
                String ev = e.getAttribute(Constants.VERSION_ATTRIBUTE);
                for (String pkg : e.getValueComponents()) {
                    exports.put(pkg, ev == null ? Version.emptyVersion : Version.parseVersion(ev));
                }
            }
            return new BundleJar(path, symbolicName, version, name == null || name.startsWith("%") ? symbolicName : name, List.copyOf(needs),
                    Map.copyOf(exports));
        } catch (BundleException | IllegalArgumentException e) {
            throw PluginException.wrongRequest(path.toAbsolutePath() + " has a malformed META-INF/MANIFEST.MF: " + e.getMessage());
        }
    }

    private static List<Requirement> requirements(boolean bundle, String header, String value, String versionAttribute)
            throws BundleException {
        List<Requirement> out = new ArrayList<>();
        if (value == null) {
            return out;
        }
        for (ManifestElement e : ManifestElement.parseHeader(header, value)) {
            if (Constants.RESOLUTION_OPTIONAL.equals(e.getDirective(Constants.RESOLUTION_DIRECTIVE))) {
                continue;
            }
            String v = e.getAttribute(versionAttribute);
            VersionRange range = v == null ? ANY : new VersionRange(v);
            for (String name : e.getValueComponents()) {
                out.add(new Requirement(bundle, name, range));
            }
        }
        return out;
    }
}
