package org.loupe.apitools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/** Reads a PDE extension-point schema (.exsd) into an {@link ExtensionPointSchema}. */
final class SchemaReader {

    private SchemaReader() {
    }

    /**
     * Reads one schema file.
     *
     * @throws IOException when the file cannot be read or is not a well-formed schema (the message names the file)
     */
    static ExtensionPointSchema read(Path exsd) throws IOException {
        Document doc;
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(false);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            doc = factory.newDocumentBuilder().parse(Files.newInputStream(exsd));
        } catch (SAXException | ParserConfigurationException e) {
            throw new IOException(exsd + " is not a well-formed schema: " + e.getMessage(), e);
        }
        Element schema = doc.getDocumentElement();
        String plugin = "";
        String id = "";
        String name = "";
        String overview = "";
        Map<String, String> sections = new LinkedHashMap<>();
        List<ExtensionPointSchema.Element> elements = new ArrayList<>();
        for (Element child : children(schema)) {
            switch (child.getTagName()) {
            case "annotation" -> {
                Element appInfo = first(child, "appInfo");
                Element meta = appInfo == null ? null : first(appInfo, "meta.schema");
                Element section = appInfo == null ? null : first(appInfo, "meta.section");
                if (meta != null) {
                    plugin = meta.getAttribute("plugin");
                    id = meta.getAttribute("id");
                    name = meta.getAttribute("name");
                    overview = documentation(child);
                } else if (section != null) {
                    sections.put(section.getAttribute("type"), documentation(child));
                }
            }
            case "element" -> elements.add(element(child));
            default -> {
                // include/import: Loupe's schemas have none
            }
            }
        }
        if (id.isEmpty() || plugin.isEmpty()) {
            throw new IOException(exsd + " has no <meta.schema plugin=\"...\" id=\"...\"> in its first annotation");
        }
        return new ExtensionPointSchema(plugin, id, name, overview, List.copyOf(elements), Map.copyOf(sections));
    }

    private static ExtensionPointSchema.Element element(Element e) {
        Element annotation = first(e, "annotation");
        Element meta = annotation == null || first(annotation, "appInfo") == null ? null
                : first(first(annotation, "appInfo"), "meta.element");
        boolean deprecated = meta != null && "true".equals(meta.getAttribute("deprecated"));
        Element type = first(e, "complexType");
        ExtensionPointSchema.Content content = null;
        List<ExtensionPointSchema.Attribute> attributes = new ArrayList<>();
        if (type != null) {
            for (Element part : children(type)) {
                switch (part.getTagName()) {
                case "sequence", "choice" -> content = content(part);
                case "attribute" -> attributes.add(attribute(part));
                default -> {
                }
                }
            }
        }
        return new ExtensionPointSchema.Element(e.getAttribute("name"), documentation(annotation), content,
                List.copyOf(attributes), deprecated);
    }

    private static ExtensionPointSchema.Content content(Element compositor) {
        String min = compositor.hasAttribute("minOccurs") ? compositor.getAttribute("minOccurs") : "1";
        String max = compositor.hasAttribute("maxOccurs") ? compositor.getAttribute("maxOccurs") : "1";
        if (compositor.getTagName().equals("element")) {
            return new ExtensionPointSchema.Content("ref", compositor.getAttribute("ref"), min, max, List.of());
        }
        List<ExtensionPointSchema.Content> parts = new ArrayList<>();
        for (Element part : children(compositor)) {
            if (List.of("element", "sequence", "choice").contains(part.getTagName())) {
                parts.add(content(part));
            }
        }
        return new ExtensionPointSchema.Content(compositor.getTagName(), "", min, max, List.copyOf(parts));
    }

    private static ExtensionPointSchema.Attribute attribute(Element a) {
        Element annotation = first(a, "annotation");
        Element appInfo = annotation == null ? null : first(annotation, "appInfo");
        Element meta = appInfo == null ? null : first(appInfo, "meta.attribute");
        String type = a.hasAttribute("type") ? a.getAttribute("type") : "string";
        Element simpleType = first(a, "simpleType");
        Element restriction = simpleType == null ? null : first(simpleType, "restriction");
        if (restriction != null) {
            List<String> values = new ArrayList<>();
            for (Element v : children(restriction)) {
                if (v.getTagName().equals("enumeration")) {
                    values.add(v.getAttribute("value"));
                }
            }
            if (!values.isEmpty()) {
                type = "one of " + String.join(" | ", values);
            }
        }
        String basedOn = "";
        boolean translatable = false;
        boolean deprecated = false;
        if (meta != null) {
            String kind = meta.getAttribute("kind");
            if (!kind.isEmpty() && !kind.equals("string")) {
                type = kind;
            }
            basedOn = meta.getAttribute("basedOn");
            translatable = "true".equals(meta.getAttribute("translatable"));
            deprecated = "true".equals(meta.getAttribute("deprecated"));
        }
        String use = a.hasAttribute("use") ? a.getAttribute("use") : "optional";
        return new ExtensionPointSchema.Attribute(a.getAttribute("name"), type, basedOn, use, a.getAttribute("value"),
                translatable, deprecated, documentation(annotation));
    }

    /**
     * The documentation of an annotation as HTML: markup written as XML elements inside {@code <documentation>}
     * ({@code <pre>}, {@code <p>}, {@code <code>}) stays markup, text (with its {@code &lt;} escapes) stays text.
     */
    private static String documentation(Element annotation) {
        Element doc = annotation == null ? null : first(annotation, "documentation");
        if (doc == null) {
            return "";
        }
        StringBuilder html = new StringBuilder();
        for (Node n = doc.getFirstChild(); n != null; n = n.getNextSibling()) {
            html(n, html);
        }
        return html.toString().strip();
    }

    private static void html(Node node, StringBuilder out) {
        if (node instanceof Element e) {
            out.append('<').append(e.getTagName()).append('>');
            for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
                html(n, out);
            }
            out.append("</").append(e.getTagName()).append('>');
        } else if (node.getNodeType() == Node.TEXT_NODE || node.getNodeType() == Node.CDATA_SECTION_NODE) {
            out.append(node.getNodeValue().replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"));
        }
    }

    private static Element first(Element parent, String tag) {
        for (Element child : children(parent)) {
            if (child.getTagName().equals(tag)) {
                return child;
            }
        }
        return null;
    }

    private static List<Element> children(Element parent) {
        List<Element> result = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                result.add(e);
            }
        }
        return result;
    }
}
