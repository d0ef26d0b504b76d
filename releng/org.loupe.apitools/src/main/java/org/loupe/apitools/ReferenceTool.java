package org.loupe.apitools;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Generates docs/reference/ (one Markdown page per extension point, and an index) from the .exsd schemas that the
 * bundles under bundles/ declare in their plugin.xml, or checks that the committed pages are what the schemas
 * generate.
 *
 * <pre>
 * ReferenceTool check|write ROOT
 * </pre>
 */
public final class ReferenceTool {

    /** The command that regenerates the reference, quoted in the failure message. */
    static final String REGENERATE = "./mvnw -o -q -pl releng/org.loupe.apitools compile exec:java@reference"
            + " -Dloupe.reference=write";

    private static final Pattern EXTENSION_POINT = Pattern
            .compile("<extension-point\\s+([^>]*?)/?>", Pattern.DOTALL);
    private static final Pattern SCHEMA_ATTRIBUTE = Pattern.compile("schema\\s*=\\s*\"([^\"]+)\"");

    private ReferenceTool() {
    }

    /**
     * Runs the tool.
     *
     * @param args {@code check ROOT} or {@code write ROOT}
     * @throws IllegalStateException when checking finds the committed reference out of date (the message lists the
     *                               pages and the command that regenerates them)
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 2 || !List.of("check", "write").contains(args[0])) {
            throw new IllegalArgumentException("usage: ReferenceTool check|write ROOT (the repository's root folder)");
        }
        Path root = Path.of(args[1]).toAbsolutePath().normalize();
        Map<String, String> pages = generate(root);
        Path reference = root.resolve("docs/reference");
        if (args[0].equals("write")) {
            write(reference, pages);
            System.out.println("[reference] wrote " + pages.size() + " pages to " + reference);
            return;
        }
        List<String> problems = check(reference, pages);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("docs/reference/ is not what the extension-point schemas generate:\n  "
                    + String.join("\n  ", problems) + "\nRegenerate it from the repository's root and commit it:\n  "
                    + REGENERATE);
        }
        System.out.println("[reference] docs/reference/ is current (" + pages.size() + " pages)");
    }

    /** The pages the schemas generate, by file name (sorted, the index README.md included). */
    static Map<String, String> generate(Path root) throws IOException {
        List<ExtensionPointSchema> schemas = new ArrayList<>();
        Map<String, String> pages = new TreeMap<>();
        for (Path schemaFile : schemaFiles(root)) {
            ExtensionPointSchema schema = SchemaReader.read(schemaFile);
            schemas.add(schema);
            String relative = root.relativize(schemaFile).toString().replace('\\', '/');
            pages.put(ReferenceWriter.fileName(schema), ReferenceWriter.page(schema, relative));
        }
        pages.put("README.md", ReferenceWriter.index(schemas));
        return pages;
    }

    /** The schema files declared by bundles/*&#47;plugin.xml, sorted by bundle then by declaration order. */
    static List<Path> schemaFiles(Path root) throws IOException {
        List<Path> result = new ArrayList<>();
        List<Path> pluginXmls;
        try (Stream<Path> bundles = Files.list(root.resolve("bundles"))) {
            pluginXmls = bundles.map(b -> b.resolve("plugin.xml")).filter(Files::isRegularFile).sorted().toList();
        }
        for (Path pluginXml : pluginXmls) {
            String xml = Files.readString(pluginXml, StandardCharsets.UTF_8).replaceAll("(?s)<!--.*?-->", "");
            Matcher point = EXTENSION_POINT.matcher(xml);
            while (point.find()) {
                Matcher schema = SCHEMA_ATTRIBUTE.matcher(point.group(1));
                if (!schema.find()) {
                    throw new IOException(pluginXml + " declares an extension point without a schema: add"
                            + " schema=\"schema/ID.exsd\" so that plug-in authors get its reference");
                }
                Path file = pluginXml.getParent().resolve(schema.group(1));
                if (!Files.isRegularFile(file)) {
                    throw new IOException(pluginXml + " names the schema " + schema.group(1)
                            + ", which does not exist");
                }
                result.add(file);
            }
        }
        return result;
    }

    /** What differs between the committed reference folder and the generated pages (empty when current). */
    static List<String> check(Path reference, Map<String, String> pages) throws IOException {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, String> page : pages.entrySet()) {
            Path file = reference.resolve(page.getKey());
            if (!Files.isRegularFile(file)) {
                problems.add(page.getKey() + " is missing");
            } else if (!Files.readString(file, StandardCharsets.UTF_8).equals(page.getValue())) {
                problems.add(page.getKey() + " differs from its schema");
            }
        }
        if (Files.isDirectory(reference)) {
            try (Stream<Path> files = Files.list(reference)) {
                files.map(f -> f.getFileName().toString()).filter(f -> !pages.containsKey(f)).sorted()
                        .forEach(f -> problems.add(f + " is not generated from any schema (delete it)"));
            }
        }
        return problems;
    }

    private static void write(Path reference, Map<String, String> pages) throws IOException {
        Files.createDirectories(reference);
        try (Stream<Path> files = Files.list(reference)) {
            for (Path stale : files.filter(f -> !pages.containsKey(f.getFileName().toString())).toList()) {
                Files.delete(stale);
            }
        }
        for (Map.Entry<String, String> page : pages.entrySet()) {
            Files.writeString(reference.resolve(page.getKey()), page.getValue(), StandardCharsets.UTF_8);
        }
    }
}
