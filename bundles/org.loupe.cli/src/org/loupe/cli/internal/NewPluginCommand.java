package org.loupe.cli.internal;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code loupe new-plugin ID}: writes a plug-in project (an analysis with its own result type, the
 * view of it, a test, a feature and an update site, with its own Tycho build) that builds against
 * Loupe and passes its test as it is. See {@link PluginTemplate}.
 */
@Command(name = "new-plugin", separator = " ", usageHelpWidth = 100, descriptionHeading = "%n", optionListHeading = "%nOptions:%n",
        description = {"Writes a new plug-in project for the bundle id ID: an analysis with a parameter record and a result type of its "
                + "own, the view of that result type, a test that runs the analysis on a planted model, a feature and an update "
                + "site, built with Maven and Tycho against Loupe's p2 repository. Then: cd DIR && ./mvnw verify, and install "
                + "DIR/ID.site/target/repository into Loupe. The README in DIR says more."})
final class NewPluginCommand implements Callable<Integer> {

    private final Env env;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Parameters(paramLabel = "ID", description = "the plug-in's bundle id, also its Java package, e.g. com.example.myplugin")
    String id;

    @Option(names = "--dir", paramLabel = "D", description = "a new or empty folder for the project (default: ./ID)")
    Path dir;

    @Option(names = "--name", paramLabel = "N", description = "the plug-in's name, shown in the workbench (default: ID's last part, capitalised)")
    String name;

    @Option(names = "--loupe-repository", paramLabel = "URL", description = "Loupe's p2 repository to build against, a URL or a folder "
            + "(default: the one built in this Loupe's clone, " + PluginTemplate.LOUPE_SITE + ")")
    String repository;

    NewPluginCommand(Env env) {
        this.env = env;
    }

    @Override
    public Integer call() throws IOException {
        OutputFolder folder;
        String site;
        String title;
        try {
            PluginTemplate.checkId(id);
            title = name == null ? PluginTemplate.defaultName(id) : name.strip();
            PluginTemplate.checkName(title);
            site = repository == null ? builtSite().orElse(null) : asUrl(repository);
            folder = dir == null ? OutputFolder.prepare("the folder", Path.of(id)) : OutputFolder.prepare("--dir", dir);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        boolean found = site != null;
        if (!found) {
            site = "file:/path/to/loupe/" + PluginTemplate.LOUPE_SITE;
        }
        List<Path> files;
        try {
            files = PluginTemplate.write(folder.path(), new PluginTemplate.Values(id, title, site));
        } catch (IOException | RuntimeException e) {
            folder.removeIfCreated();
            throw e;
        }
        env.out().println("Wrote the plug-in " + id + " (" + title + ") to " + folder.path() + ": " + files.size() + " files.");
        if (found) {
            env.out().println("It builds against Loupe's repository " + site + ".");
        } else {
            env.err().println("loupe: warning: no built Loupe repository was found near this installation; set the property loupe.repository "
                    + "in " + folder.path().resolve("pom.xml") + " to Loupe's update site before you build (or give --loupe-repository)");
        }
        env.out().println("Next:");
        env.out().println("  cd " + folder.path() + " && ./mvnw verify       # build, and run its test");
        env.out().println("  loupe plugins install " + folder.path().resolve(id + ".site/target/repository"));
        return 0;
    }

    /** {@code text} as a URL: itself if it has a scheme, else the folder it names as a file: URL. */
    private static String asUrl(String text) {
        try {
            URI uri = new URI(text);
            if (uri.getScheme() != null && uri.getScheme().length() > 1) {
                return text;
            }
        } catch (URISyntaxException e) {
            // not a URL: a path
        }
        Path p = Path.of(text).toAbsolutePath().normalize();
        if (!Files.isDirectory(p)) {
            throw new IllegalArgumentException("--loupe-repository " + text + " is neither a URL nor a folder");
        }
        return p.toUri().toString();
    }

    /**
     * Loupe's p2 repository in the clone this Loupe was built in: the installation lies under that
     * clone's releng/org.loupe.product/target/products, so the nearest folder above it holding
     * {@link PluginTemplate#LOUPE_SITE} is the clone.
     */
    private static Optional<String> builtSite() {
        String area = System.getProperty("osgi.install.area");
        if (area == null) {
            return Optional.empty();
        }
        try {
            for (Path p = Path.of(new URI(area.replace(" ", "%20"))); p != null; p = p.getParent()) {
                Path site = p.resolve(PluginTemplate.LOUPE_SITE);
                if (Files.isDirectory(site)) {
                    return Optional.of(site.toUri().toString());
                }
            }
        } catch (URISyntaxException | IllegalArgumentException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}
