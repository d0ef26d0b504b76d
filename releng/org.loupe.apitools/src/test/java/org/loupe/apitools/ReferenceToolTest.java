package org.loupe.apitools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReferenceToolTest {

    @TempDir
    Path root;

    private Path sampleProject() throws IOException {
        Path bundle = Files.createDirectories(root.resolve("bundles/org.example/schema"));
        try (InputStream in = getClass().getResourceAsStream("/sample.exsd")) {
            Files.copy(in, bundle.resolve("widgets.exsd"));
        }
        Files.writeString(bundle.getParent().resolve("plugin.xml"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <plugin>
                   <!-- <extension-point id="old" name="Old"/> -->
                   <extension-point id="widgets" name="Widgets" schema="schema/widgets.exsd"/>
                </plugin>
                """);
        Files.createDirectories(root.resolve("bundles/org.example.noplugin"));
        return bundle.resolve("widgets.exsd");
    }

    @Test
    void readsEveryPartOfTheSchema() throws IOException {
        ExtensionPointSchema schema = SchemaReader.read(sampleProject());
        assertEquals("org.example.widgets", schema.qualifiedId());
        assertEquals("Widgets", schema.name());
        assertEquals(List.of("extension", "widget", "gadget"),
                schema.elements().stream().map(ExtensionPointSchema.Element::name).toList());
        ExtensionPointSchema.Element widget = schema.elements().get(1);
        assertEquals(List.of("class", "label", "priority", "size", "visible"),
                widget.attributes().stream().map(ExtensionPointSchema.Attribute::name).toList());
        ExtensionPointSchema.Attribute clazz = widget.attributes().get(0);
        assertEquals("java", clazz.type());
        assertEquals(":org.example.Widget", clazz.basedOn());
        assertEquals("required", clazz.use());
        assertTrue(widget.attributes().get(1).translatable());
        assertEquals("0", widget.attributes().get(2).defaultValue());
        assertEquals("one of small | large", widget.attributes().get(3).type());
        assertEquals("boolean", widget.attributes().get(4).type());
        assertTrue(schema.elements().get(2).deprecated());
        assertEquals("0.1.0", schema.sections().get("since"));
    }

    @Test
    void pageHasTheAttributeTableTheContentModelAndTheExample() throws IOException {
        ExtensionPointSchema schema = SchemaReader.read(sampleProject());
        String page = ReferenceWriter.page(schema, "bundles/org.example/schema/widgets.exsd");
        assertTrue(page.startsWith("# Extension point `org.example.widgets`: Widgets\n"), page);
        assertTrue(page.contains("Declared by bundle `org.example` · since 0.1.0 · schema [widgets.exsd]"
                + "(../../bundles/org.example/schema/widgets.exsd)"), page);
        assertTrue(page.contains("Widgets shown in the `Widget<T>` view. Second sentence.\n\nA second paragraph."),
                page);
        assertTrue(page.contains("Contains one or more of `<widget>`, `<gadget>`."), page);
        assertTrue(page.contains("Contains `<gadget>` (optional)."), page);
        assertTrue(page.contains("| `class` | java: `org.example.Widget` | required |  |"
                + " Implementation of org.example.Widget \\| with a pipe. |"), page);
        assertTrue(page.contains("| `label` | string, translatable | optional |  | Shown to users. |"), page);
        assertTrue(page.contains("| `priority` | string | optional | `0` | Higher wins. |"), page);
        assertTrue(page.contains("| `size` | one of small \\| large | optional |  | How big. |"), page);
        assertTrue(page.contains("### `<gadget>` (deprecated)\n\nNo attributes."), page);
        assertTrue(page.contains("## Example\n\n```xml\n<extension point=\"org.example.widgets\">\n"
                + "   <widget class=\"org.example.MyWidget\" priority=\"10\"/>\n</extension>\n```"), page);
        assertTrue(page.contains("## API information\n\nImplement org.example.Widget."), page);
        assertTrue(page.indexOf("## Example") < page.indexOf("## API information"), page);
    }

    @Test
    void findsTheSchemasThatPluginXmlDeclaresAndIndexesThem() throws IOException {
        sampleProject();
        Map<String, String> pages = ReferenceTool.generate(root);
        assertEquals(List.of("README.md", "org.example.widgets.md"), List.copyOf(pages.keySet()));
        assertTrue(pages.get("README.md").contains("| [`org.example.widgets`](org.example.widgets.md) | Widgets |"
                + " Widgets shown in the `Widget<T>` view. |"), pages.get("README.md"));
    }

    @Test
    void checkNamesMissingStaleAndExtraPagesAndTellsHowToRegenerate() throws IOException {
        sampleProject();
        IllegalStateException missing = assertThrows(IllegalStateException.class,
                () -> ReferenceTool.main(new String[] { "check", root.toString() }));
        assertTrue(missing.getMessage().contains("org.example.widgets.md is missing"), missing.getMessage());
        assertTrue(missing.getMessage().contains(ReferenceTool.REGENERATE), missing.getMessage());

        ReferenceTool.main(new String[] { "write", root.toString() });
        ReferenceTool.main(new String[] { "check", root.toString() });

        Path reference = root.resolve("docs/reference");
        Files.writeString(reference.resolve("org.example.widgets.md"), "edited by hand\n", StandardCharsets.UTF_8);
        Files.writeString(reference.resolve("org.example.gone.md"), "old\n", StandardCharsets.UTF_8);
        List<String> problems = ReferenceTool.check(reference, ReferenceTool.generate(root));
        assertEquals(List.of("org.example.widgets.md differs from its schema",
                "org.example.gone.md is not generated from any schema (delete it)"), problems);

        ReferenceTool.main(new String[] { "write", root.toString() });
        assertEquals(List.of(), ReferenceTool.check(reference, ReferenceTool.generate(root)));
        assertTrue(Files.notExists(reference.resolve("org.example.gone.md")));
    }

    @Test
    void anExtensionPointWithoutASchemaIsAnError() throws IOException {
        Path bundle = Files.createDirectories(root.resolve("bundles/org.example"));
        Files.writeString(bundle.resolve("plugin.xml"), "<plugin><extension-point id=\"x\" name=\"X\"/></plugin>");
        IOException e = assertThrows(IOException.class, () -> ReferenceTool.generate(root));
        assertTrue(e.getMessage().contains("declares an extension point without a schema"), e.getMessage());
    }
}
