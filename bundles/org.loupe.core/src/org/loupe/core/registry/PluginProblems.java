package org.loupe.core.registry;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.eclipse.core.runtime.ContributorFactoryOSGi;
import org.eclipse.core.runtime.IConfigurationElement;
import org.eclipse.core.runtime.IExtensionRegistry;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * Finds the plug-ins whose Loupe contributions were dropped: declarations that lack an id or a
 * class, and bundles whose plugin.xml names a Loupe extension point but contributed nothing to the
 * registry (the registry logs and skips a plugin.xml it cannot parse, so it is parsed here again
 * to say where it is broken).
 */
final class PluginProblems {

    private static final String LOUPE_POINT = "org.loupe.core.";

    private PluginProblems() {
    }

    /** Every problem, declarations first, then unreadable plugin.xml files. */
    static List<PluginProblem> find(IExtensionRegistry registry, List<String> points) {
        List<PluginProblem> out = new ArrayList<>();
        for (String point : points) {
            for (IConfigurationElement e : registry.getConfigurationElementsFor(point)) {
                Contribution.declarationProblem(e).ifPresent(p -> out.add(
                        new PluginProblem(e.getContributor().getName(), PluginFailure.plugin(e.getContributor()), p + "; its author must fix "
                                + "plugin.xml")));
            }
        }
        out.addAll(unreadPluginXml(registry));
        return out;
    }

    /** Bundles with a plugin.xml that mentions a Loupe extension point and contributed nothing. */
    private static List<PluginProblem> unreadPluginXml(IExtensionRegistry registry) {
        Bundle self = FrameworkUtil.getBundle(PluginProblems.class);
        BundleContext context = self == null ? null : self.getBundleContext();
        if (context == null) {
            return List.of();
        }
        Set<String> contributing = Set.of(registry.getNamespaces());
        List<PluginProblem> out = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            if (b.getSymbolicName() == null || contributing.contains(b.getSymbolicName())
                    || (b.getState() & (Bundle.RESOLVED | Bundle.STARTING | Bundle.ACTIVE)) == 0) {
                continue;
            }
            URL xml = b.getEntry("plugin.xml");
            if (xml == null) {
                continue;
            }
            byte[] bytes;
            try (InputStream in = xml.openStream()) {
                bytes = in.readAllBytes();
            } catch (IOException e) {
                continue;
            }
            if (new String(bytes, StandardCharsets.UTF_8).contains(LOUPE_POINT)) {
                out.add(new PluginProblem(b.getSymbolicName(), PluginFailure.plugin(ContributorFactoryOSGi.createContributor(b)),
                        "its plugin.xml could not be read, so none of its contributions are available (" + parseError(bytes)
                                + "); its author must fix plugin.xml"));
            }
        }
        return out;
    }

    /** Where and why the XML parser rejects {@code xml}. */
    private static String parseError(byte[] xml) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            var builder = f.newDocumentBuilder();
            builder.setErrorHandler(new org.xml.sax.helpers.DefaultHandler());
            builder.parse(new java.io.ByteArrayInputStream(xml));
            return "it declares no extension the registry took";
        } catch (SAXParseException e) {
            return "line " + e.getLineNumber() + ": " + e.getMessage();
        } catch (SAXException | IOException | ParserConfigurationException e) {
            return e.getMessage();
        }
    }
}
