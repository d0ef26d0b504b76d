package org.loupe.apitools;

import java.util.List;
import java.util.Map;

/**
 * What an extension-point schema (.exsd) says, as far as a plug-in author needs it: the point's id and name, its
 * overview, its elements with their attributes and children, and the documentation sections (examples, API
 * information, supplied implementation, since).
 *
 * @param plugin    the declaring bundle's symbolic name
 * @param id        the point's id without the bundle prefix (analyses)
 * @param name      the point's name for people
 * @param overview  the schema's documentation, as HTML-ish text
 * @param elements  the elements, in schema order
 * @param sections  documentation sections by PDE type (examples, apiInfo, implementation, since, copyright)
 */
record ExtensionPointSchema(String plugin, String id, String name, String overview, List<Element> elements,
        Map<String, String> sections) {

    /** The full id a plug-in uses in {@code <extension point="...">}. */
    String qualifiedId() {
        return plugin + "." + id;
    }

    /**
     * One element of the schema.
     *
     * @param name        the element's tag
     * @param description its documentation
     * @param content     what it may contain (null when it contains nothing)
     * @param attributes  its attributes, in schema order
     * @param deprecated  whether the schema marks it deprecated
     */
    record Element(String name, String description, Content content, List<Attribute> attributes,
            boolean deprecated) {
    }

    /**
     * One attribute of an element.
     *
     * @param name         the attribute's name
     * @param type         string, boolean, java, resource, identifier or an enumeration "one of a | b"
     * @param basedOn      for java attributes, the type the class must extend or implement (may be empty)
     * @param use          required, optional or default
     * @param defaultValue the default value (empty when none is declared)
     * @param translatable whether the value is shown to users and may be translated
     * @param deprecated   whether the schema marks it deprecated
     * @param description  its documentation
     */
    record Attribute(String name, String type, String basedOn, String use, String defaultValue,
            boolean translatable, boolean deprecated, String description) {
    }

    /**
     * The content model of an element: a sequence or choice of element references and nested compositors, with
     * how often it occurs.
     *
     * @param kind      sequence, choice or ref
     * @param ref       for kind ref, the referenced element's name
     * @param minOccurs the minimum number of occurrences
     * @param maxOccurs the maximum number of occurrences, or "unbounded"
     * @param parts     for sequence and choice, the parts
     */
    record Content(String kind, String ref, String minOccurs, String maxOccurs, List<Content> parts) {
    }
}
