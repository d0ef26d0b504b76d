package org.loupe.core.plugins;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * A p2 repository (update site) in a local folder or at a {@code file:}, {@code http:} or {@code https:}
 * URL, read with the JDK: its metadata ({@code content.jar} or {@code content.xml}) says which
 * features and bundles it offers, and bundles are fetched from {@code plugins/ID_VERSION.jar}, the
 * layout Tycho and the Eclipse publisher write.
 */
final class P2Site {

    private static final String IU = "org.eclipse.equinox.p2.iu";
    private static final String FEATURE_GROUP = ".feature.group";
    private static final String FEATURE_JAR = ".feature.jar";

    /** A unit of the site's metadata: a bundle or a feature group. */
    record Unit(String id, String version, String name, boolean bundle, List<String> requiredUnits) {
    }

    private final URI root;
    private final String location;
    private final Map<String, Unit> units;
    private final HttpClient http;

    private P2Site(URI root, String location, Map<String, Unit> units, HttpClient http) {
        this.root = root;
        this.location = location;
        this.units = units;
        this.http = http;
    }

    /**
     * Opens the site at {@code location}: a folder, or a {@code file:}/{@code http(s):} URL.
     *
     * @throws PluginException if it is not there, cannot be reached, or is not a p2 repository
     */
    static P2Site open(String location) throws PluginException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20)).followRedirects(HttpClient.Redirect.NORMAL).build();
        URI root = rootOf(location);
        byte[] content = null;
        for (String name : List.of("content.jar", "content.xml")) {
            Optional<byte[]> bytes = get(http, root.resolve(name), location);
            if (bytes.isPresent()) {
                content = name.endsWith(".jar") ? unzip(bytes.get(), "content.xml", location) : bytes.get();
                break;
            }
        }
        if (content == null) {
            boolean composite = get(http, root.resolve("compositeContent.jar"), location).isPresent()
                    || get(http, root.resolve("compositeContent.xml"), location).isPresent();
            throw PluginException.wrongRequest(location + " is not a p2 repository (update site): it has no content.jar or content.xml."
                    + (composite ? " It is a composite repository; give one of the repositories it lists instead."
                            : " Give the folder or URL that holds them, such as releng/org.loupe.repository/target/repository."));
        }
        return new P2Site(root, location, parse(content, location), http);
    }

    /** The bundles the site offers, by symbolic name. */
    Map<String, Unit> bundles() {
        Map<String, Unit> out = new LinkedHashMap<>();
        units.values().stream().filter(Unit::bundle).forEach(u -> out.merge(u.id(), u, P2Site::newer));
        return out;
    }

    /** The features the site offers, by feature id (without {@code .feature.group}). */
    Map<String, Unit> features() {
        Map<String, Unit> out = new LinkedHashMap<>();
        units.values().stream().filter(u -> !u.bundle() && u.id().endsWith(FEATURE_GROUP))
                .forEach(u -> out.merge(featureId(u), u, P2Site::newer));
        return out;
    }

    static String featureId(Unit u) {
        return u.id().substring(0, u.id().length() - FEATURE_GROUP.length());
    }

    /** The bundles of a feature, through the features it includes. */
    List<String> bundlesOf(Unit feature) {
        Set<String> out = new LinkedHashSet<>();
        collect(feature, out, new LinkedHashSet<>());
        return List.copyOf(out);
    }

    private void collect(Unit feature, Set<String> out, Set<String> seen) {
        if (!seen.add(feature.id())) {
            return;
        }
        Map<String, Unit> bundles = bundles();
        for (String req : feature.requiredUnits()) {
            if (req.endsWith(FEATURE_JAR)) {
                continue;
            }
            if (req.endsWith(FEATURE_GROUP)) {
                Unit included = units.get(req);
                if (included != null) {
                    collect(included, out, seen);
                }
            } else if (bundles.containsKey(req)) {
                out.add(req);
            }
        }
    }

    /**
     * Downloads the bundle {@code id} into {@code folder}.
     *
     * @throws PluginException if the site does not have its jar
     */
    Path download(String id, Path folder) throws PluginException {
        Unit u = bundles().get(id);
        String file = id + "_" + u.version() + ".jar";
        byte[] bytes = get(http, root.resolve("plugins/" + file), location).orElseThrow(() -> PluginException.failed(location
                + " lists " + id + " " + u.version() + " but does not have its jar plugins/" + file + ".", null));
        try {
            Path target = folder.resolve(file);
            Files.copy(new ByteArrayInputStream(bytes), target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw PluginException.failed("Cannot write " + folder.resolve(file) + ": " + e.getMessage(), e);
        }
    }

    private static Unit newer(Unit a, Unit b) {
        return org.osgi.framework.Version.parseVersion(a.version()).compareTo(org.osgi.framework.Version.parseVersion(b.version())) >= 0 ? a : b;
    }

    private static URI rootOf(String location) throws PluginException {
        String l = location.trim();
        if (l.isEmpty()) {
            throw PluginException.wrongRequest("No site given: give a folder or a file:, http: or https: URL of a p2 repository.");
        }
        URI uri;
        if (l.matches("(?i)(file|https?):.*")) {
            try {
                uri = new URI(l);
            } catch (URISyntaxException e) {
                throw PluginException.wrongRequest("'" + l + "' is not a valid URL: " + e.getReason() + ".");
            }
        } else if (l.matches("^[a-zA-Z][a-zA-Z0-9+.-]+:.*")) {
            throw PluginException.wrongRequest("'" + l + "' is neither a folder nor a file:, http: or https: URL.");
        } else {
            Path p = Path.of(l).toAbsolutePath();
            if (!Files.exists(p)) {
                throw PluginException.wrongRequest("There is no file or folder " + p + ".");
            }
            if (!Files.isDirectory(p)) {
                throw PluginException.wrongRequest(p + " is a file, not an update site folder. A plug-in jar is installed as a jar; "
                        + "a site is the folder that holds content.jar.");
            }
            uri = p.toUri();
        }
        String s = uri.toString();
        return s.endsWith("/") ? uri : URI.create(s + "/");
    }

    /** The bytes at {@code uri}; empty if it is not there (404, no such file). */
    private static Optional<byte[]> get(HttpClient http, URI uri, String location) throws PluginException {
        try {
            if ("file".equalsIgnoreCase(uri.getScheme())) {
                Path p = Path.of(uri);
                return Files.isRegularFile(p) ? Optional.of(Files.readAllBytes(p)) : Optional.empty();
            }
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(120)).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() == 404 || r.statusCode() == 410) {
                return Optional.empty();
            }
            if (r.statusCode() / 100 != 2) {
                throw PluginException.failed(location + " answered " + r.statusCode() + " for " + uri + ". Check the URL, or try again later.", null);
            }
            return Optional.of(r.body());
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (UnknownHostException e) {
            throw PluginException.failed("Cannot reach " + location + ": unknown host " + uri.getHost() + ". Check the URL and the network.", e);
        } catch (ConnectException e) {
            throw PluginException.failed("Cannot reach " + location + ": the connection to " + uri.getHost() + " was refused or failed. "
                    + "Check the URL and the network.", e);
        } catch (HttpTimeoutException e) {
            throw PluginException.failed("Cannot reach " + location + ": no answer in time. Check the URL and the network.", e);
        } catch (IOException e) {
            throw PluginException.failed("Cannot read " + uri + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw PluginException.failed("Reading " + location + " was interrupted.", e);
        } catch (IllegalArgumentException e) {
            throw PluginException.wrongRequest("'" + location + "' is not a URL Loupe can read: " + e.getMessage());
        }
    }

    private static byte[] unzip(byte[] jar, String entry, String location) throws PluginException {
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(jar))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null;) {
                if (e.getName().equals(entry)) {
                    return in.readAllBytes();
                }
            }
        } catch (IOException e) {
            throw PluginException.wrongRequest(location + " is not a p2 repository: its content.jar is not a readable jar (" + e.getMessage() + ").");
        }
        throw PluginException.wrongRequest(location + " is not a p2 repository: its content.jar holds no " + entry + ".");
    }

    private static Map<String, Unit> parse(byte[] xml, String location) throws PluginException {
        Document doc;
        try (InputStream in = new ByteArrayInputStream(xml)) {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            doc = f.newDocumentBuilder().parse(in);
        } catch (SAXException | IOException | ParserConfigurationException e) {
            throw PluginException.wrongRequest(location + " is not a p2 repository: its content metadata is not valid XML (" + e.getMessage() + ").");
        }
        if (!"repository".equals(doc.getDocumentElement().getTagName())) {
            throw PluginException.wrongRequest(location + " is not a p2 repository: its content metadata is not a <repository>.");
        }
        Map<String, Unit> units = new LinkedHashMap<>();
        NodeList list = doc.getElementsByTagName("unit");
        for (int i = 0; i < list.getLength(); i++) {
            Element u = (Element) list.item(i);
            String id = u.getAttribute("id");
            String version = u.getAttribute("version");
            boolean bundle = false;
            for (Element p : children(u, "provides", "provided")) {
                bundle |= "osgi.bundle".equals(p.getAttribute("namespace"));
            }
            List<String> required = new ArrayList<>();
            for (Element r : children(u, "requires", "required")) {
                if (IU.equals(r.getAttribute("namespace"))) {
                    required.add(r.getAttribute("name"));
                }
            }
            String name = id;
            for (Element p : children(u, "properties", "property")) {
                if ("org.eclipse.equinox.p2.name".equals(p.getAttribute("name")) && !p.getAttribute("value").startsWith("%")) {
                    name = p.getAttribute("value");
                }
            }
            units.put(id + "_" + version, new Unit(id, version, name, bundle, List.copyOf(required)));
        }
        Map<String, Unit> byId = new LinkedHashMap<>();
        units.values().forEach(u -> byId.merge(u.id(), u, P2Site::newer));
        return byId;
    }

    private static List<Element> children(Element unit, String group, String item) {
        List<Element> out = new ArrayList<>();
        NodeList groups = unit.getChildNodes();
        for (int i = 0; i < groups.getLength(); i++) {
            if (groups.item(i) instanceof Element g && g.getTagName().equals(group)) {
                NodeList items = g.getChildNodes();
                for (int j = 0; j < items.getLength(); j++) {
                    if (items.item(j) instanceof Element e && e.getTagName().equals(item)) {
                        out.add(e);
                    }
                }
            }
        }
        return out;
    }
}
