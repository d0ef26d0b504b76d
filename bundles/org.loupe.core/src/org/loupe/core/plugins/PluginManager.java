package org.loupe.core.plugins;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.eclipse.core.runtime.ContributorFactoryOSGi;
import org.eclipse.core.runtime.IConfigurationElement;
import org.eclipse.core.runtime.IExtension;
import org.eclipse.core.runtime.IExtensionPoint;
import org.eclipse.core.runtime.IExtensionRegistry;
import org.eclipse.core.runtime.RegistryFactory;
import org.loupe.core.plugins.StateFile.State;
import org.loupe.core.plugins.StateFile.UserPlugin;
import org.loupe.core.registry.LoupeRegistry;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.Version;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * Loupe's plug-in manager: installs plug-ins from an update site (a p2 repository) or a jar into the
 * user's plug-in folder, lists the installed ones (built-in and user) with what each contributes, and
 * disables, enables and uninstalls them.
 *
 * <p>The folder ({@value #FOLDER_PROPERTY}, default {@code ~/.loupe/plugins}) holds the user's bundle
 * jars and {@code plugins.json} with their state. {@link #startUp()} installs them into the running
 * OSGi framework at start (and picks up jars dropped into the folder); an install takes effect at
 * once, since the extension registry reads a bundle's {@code plugin.xml} when it resolves. A disabled
 * plug-in stays on disk: {@link LoupeRegistry} ignores its contributions (through
 * {@link #enabledContributors(Path)}) and its bundles are not started. Every change writes the state
 * file whole and atomically; a failed operation leaves what was installed as it was.
 *
 * @since 0.1
 */
public final class PluginManager {

    /** The system property that overrides the plug-in folder. */
    public static final String FOLDER_PROPERTY = "loupe.plugins.dir";

    /** The kinds of contribution listed for each plug-in, in this order. */
    public static final List<String> KINDS = List.of("loaders", "built-in models", "analyses", "image sources", "result types",
            "result views");

    /** Bundles Loupe cannot run without: they cannot be disabled. */
    private static final Set<String> ESSENTIAL = Set.of("org.loupe.core", "org.loupe.ui", "org.loupe.cli", "org.loupe.app");

    private record Kind(String point, String element, String label) {
    }

    private static final List<Kind> POINTS = List.of(new Kind(LoupeRegistry.MODEL_LOADERS, "loader", KINDS.get(0)),
            new Kind(LoupeRegistry.MODEL_LOADERS, "builtinModel", KINDS.get(1)), new Kind(LoupeRegistry.ANALYSES, "analysis", KINDS.get(2)),
            new Kind(LoupeRegistry.IMAGE_SOURCES, "imageSource", KINDS.get(3)), new Kind(LoupeRegistry.RESULT_TYPES, "resultType", KINDS.get(4)),
            new Kind("org.loupe.ui.resultViews", "resultView", KINDS.get(5)));

    private static final long REFRESH_SECONDS = 60;

    /**
     * The file, in the framework's data area, that lists the location of every bundle a plug-in manager
     * installed into this framework, from whichever plug-in folder: the framework keeps installed
     * bundles across starts, and at a start on another folder those of the old one are uninstalled.
     */
    private static final String LOCATIONS_FILE = "user-bundle-locations.txt";

    private final Path folder;
    private final StateFile stateFile;
    private final BundleContext context;
    private final IExtensionRegistry registry;

    /**
     * A manager of the plug-ins in {@code folder}, installing into the framework of {@code context} and
     * reading contributions from {@code registry}.
     */
    public PluginManager(Path folder, BundleContext context, IExtensionRegistry registry) {
        this.folder = folder.toAbsolutePath();
        this.stateFile = new StateFile(this.folder);
        this.context = context;
        this.registry = registry;
    }

    /** The manager of the running Loupe, on {@link #defaultFolder()}. */
    public static PluginManager forRunningPlatform() {
        Bundle core = FrameworkUtil.getBundle(PluginManager.class);
        BundleContext context = core == null ? null : core.getBundleContext();
        if (context == null || RegistryFactory.getRegistry() == null) {
            throw new IllegalStateException("the plug-in manager runs inside Loupe's OSGi runtime only");
        }
        return new PluginManager(defaultFolder(), context, RegistryFactory.getRegistry());
    }

    /** The user's plug-in folder: {@value #FOLDER_PROPERTY} if set, else {@code ~/.loupe/plugins}. */
    public static Path defaultFolder() {
        String dir = System.getProperty(FOLDER_PROPERTY);
        return dir != null && !dir.isBlank() ? Path.of(dir) : Path.of(System.getProperty("user.home"), ".loupe", "plugins");
    }

    /**
     * Whether a contributing bundle is enabled, by the state in {@code folder}: false for the bundles of a
     * disabled plug-in. Reads the state file again when it changed, so a change shows without a restart;
     * an unreadable state file disables nothing.
     */
    public static Predicate<String> enabledContributors(Path folder) {
        return new EnabledFilter(new StateFile(folder.toAbsolutePath()));
    }

    /** The plug-in folder. */
    public Path folder() {
        return folder;
    }

    /**
     * Installs the user's plug-ins into the running framework and starts the enabled ones; jars dropped
     * into the folder since the last start are installed as new enabled plug-ins. Never throws: what went
     * wrong is returned, one message per plug-in, naming it.
     */
    public List<String> startUp() {
        removeOtherFolders();
        List<String> problems = new ArrayList<>();
        State state;
        try {
            state = stateFile.read();
            Set<String> known = state.plugins().stream().flatMap(p -> p.jars().stream()).collect(Collectors.toSet());
            for (Path jar : droppedJars(known)) {
                try {
                    BundleJar b = BundleJar.read(jar);
                    install(b.symbolicName(), b.name(), b.version().toString(), List.of(b), "dropped into " + folder);
                } catch (PluginException e) {
                    problems.add(jar.getFileName() + " in " + folder + " was not installed: " + e.getMessage());
                }
            }
            state = stateFile.read();
        } catch (PluginException e) {
            return List.of(e.getMessage());
        }
        Map<UserPlugin, List<Bundle>> bundles = new LinkedHashMap<>();
        for (UserPlugin p : state.plugins()) {
            try {
                bundles.put(p, installed(p, true));
            } catch (PluginException e) {
                problems.add("Plug-in " + p.id() + ": " + e.getMessage());
            }
        }
        removeOrphans(state);
        remember(bundles.values().stream().flatMap(List::stream).toList());
        resolve(bundles.values().stream().flatMap(List::stream).toList());
        bundles.forEach((p, list) -> {
            try {
                if (p.enabled()) {
                    start(list);
                } else {
                    stop(list);
                }
            } catch (PluginException e) {
                problems.add("Plug-in " + p.id() + ": " + e.getMessage());
            }
        });
        return problems;
    }

    /** Every plug-in: the built-in bundles that contribute to Loupe, then the user's plug-ins. */
    public List<PluginInfo> list() throws PluginException {
        State state = stateFile.read();
        Map<String, Map<String, List<String>>> byBundle = contributions();
        List<PluginInfo> out = new ArrayList<>();
        for (var e : byBundle.entrySet()) {
            String bsn = e.getKey();
            if (state.owner(bsn).isEmpty()) {
                Optional<Bundle> b = bundle(bsn);
                out.add(new PluginInfo(bsn, b.map(PluginManager::name).orElse(bsn), b.map(x -> x.getVersion().toString()).orElse(""), true,
                        !state.disabledBuiltIn().contains(bsn), List.of(bsn), e.getValue(), ""));
            }
        }
        for (UserPlugin p : state.plugins()) {
            Map<String, List<String>> merged = new LinkedHashMap<>();
            for (String kind : KINDS) {
                List<String> ids = p.bundles().stream().flatMap(b -> byBundle.getOrDefault(b, Map.of()).getOrDefault(kind, List.of()).stream())
                        .toList();
                if (!ids.isEmpty()) {
                    merged.put(kind, ids);
                }
            }
            out.add(new PluginInfo(p.id(), p.name(), p.version(), false, p.enabled(), p.bundles(), merged, p.source()));
        }
        return out;
    }

    /**
     * Installs the plug-in jar at {@code jar}: copies it into the plug-in folder, installs and starts it.
     *
     * @throws PluginException if it is not a plug-in jar, is installed already, needs what Loupe lacks, or does not start
     */
    public PluginChange installJar(Path jar) throws PluginException {
        BundleJar b = BundleJar.read(jar);
        return install(b.symbolicName(), b.name(), b.version().toString(), List.of(b), jar.toAbsolutePath().toString());
    }

    /**
     * What the update site at {@code location} offers: its features and bundles, each with the bundles
     * this Loupe does not have yet.
     *
     * @throws PluginException if the site is not there, cannot be reached, or is not a p2 repository
     */
    public List<SitePlugin> offers(String location) throws PluginException {
        return offers(P2Site.open(location));
    }

    /**
     * Installs a plug-in from the update site at {@code location}: the feature or bundle {@code pluginId},
     * or, if that is null, the one plug-in the site offers that Loupe does not have. Only the bundles
     * Loupe lacks are fetched.
     *
     * @throws PluginException if the site cannot be read, does not offer it, it is in Loupe already, the
     *                         choice is ambiguous, or its bundles cannot be installed
     */
    public PluginChange installFromSite(String location, String pluginId) throws PluginException {
        P2Site site = P2Site.open(location);
        List<SitePlugin> offers = offers(site);
        SitePlugin chosen = pluginId == null || pluginId.isBlank() ? onlyNew(location, offers) : named(location, offers, pluginId.trim());
        refuseInstalled(stateFile.read(), chosen.id());
        if (chosen.missing().isEmpty()) {
            throw PluginException.wrongRequest(chosen.id() + " is already in Loupe: it has all of " + String.join(", ", chosen.bundles()) + ".");
        }
        Path tmp = null;
        try {
            tmp = Files.createTempDirectory("loupe-site");
            List<BundleJar> jars = new ArrayList<>();
            for (String bsn : chosen.missing()) {
                jars.add(BundleJar.read(site.download(bsn, tmp)));
            }
            return install(chosen.id(), chosen.name(), chosen.version(), jars, location);
        } catch (IOException e) {
            throw PluginException.failed("Cannot make a temporary folder for the download: " + e.getMessage(), e);
        } finally {
            deleteTree(tmp);
        }
    }

    /**
     * Disables the plug-in {@code id}: its contributions are hidden at once and its bundles are not
     * started at the next start. Built-in plug-ins can be disabled too.
     *
     * @throws PluginException if there is no such plug-in, or it is part of Loupe's core
     */
    public PluginChange disable(String id) throws PluginException {
        return setEnabled(id, false);
    }

    /**
     * Enables the plug-in {@code id} again; a user plug-in's bundles are started at once.
     *
     * @throws PluginException if there is no such plug-in, or its bundles do not start
     */
    public PluginChange enable(String id) throws PluginException {
        return setEnabled(id, true);
    }

    /**
     * Uninstalls the user plug-in {@code id}: its bundles leave the running framework and its jars the folder.
     *
     * @throws PluginException if it is not installed, or is built in (those can only be disabled)
     */
    public PluginChange uninstall(String id) throws PluginException {
        State state = stateFile.read();
        UserPlugin p = state.plugin(id).orElse(null);
        if (p == null) {
            if (builtIn(state, id)) {
                throw PluginException.wrongRequest(id + " is built into Loupe and cannot be uninstalled; disable it instead "
                        + "(loupe plugins disable " + id + ").");
            }
            throw notInstalled(state, id);
        }
        List<Bundle> bundles = installed(p, false);
        boolean restart = needsRestart(bundles);
        try {
            for (Bundle b : bundles) {
                b.uninstall();
            }
        } catch (BundleException e) {
            throw PluginException.failed("Loupe could not remove " + id + " from the running workbench: " + e.getMessage()
                    + ". Nothing was changed.", e);
        }
        refresh(bundles);
        for (String jar : p.jars()) {
            try {
                Files.deleteIfExists(folder.resolve(jar));
            } catch (IOException e) {
                throw PluginException.failed("Cannot delete " + folder.resolve(jar) + ": " + e.getMessage() + ". Delete it by hand, then "
                        + "uninstall " + id + " again.", e);
            }
        }
        stateFile.write(state.without(id));
        return new PluginChange("Uninstalled " + p.name() + " (" + id + ")." + (restart ? " Restart the workbench to remove its menus and views." : ""),
                restart);
    }

    private PluginChange setEnabled(String id, boolean on) throws PluginException {
        State state = stateFile.read();
        String verb = on ? "enabled" : "disabled";
        Optional<UserPlugin> user = state.plugin(id);
        if (user.isPresent()) {
            UserPlugin p = user.get();
            if (p.enabled() == on) {
                return new PluginChange(id + " is already " + verb + ".", false);
            }
            List<Bundle> bundles = installed(p, true);
            if (on) {
                start(bundles);
            } else {
                stop(bundles);
            }
            stateFile.write(state.with(p.withEnabled(on)));
            return changed(p.name() + " (" + id + ")", on, false, needsRestart(bundles));
        }
        if (!builtIn(state, id)) {
            throw notInstalled(state, id);
        }
        if (!on && ESSENTIAL.contains(id)) {
            throw PluginException.wrongRequest(id + " is part of Loupe itself and cannot be disabled.");
        }
        if (state.disabledBuiltIn().contains(id) != on) {
            return new PluginChange(id + " is already " + verb + ".", false);
        }
        stateFile.write(state.withBuiltIn(id, on));
        return changed("the built-in plug-in " + id, on, true, needsRestart(bundle(id).stream().toList()));
    }

    private static PluginChange changed(String what, boolean on, boolean builtIn, boolean restart) {
        String text = on ? "Enabled " + what + ": its analyses, loaders, sources, result types and views are available now."
                : "Disabled " + what + ": its analyses, loaders, sources, result types and views are hidden now"
                        + (builtIn ? " (built-in plug-ins stay installed)." : ", and its bundles will not be started at the next start.");
        return new PluginChange(text + (restart ? " Restart the workbench for its menus and views." : ""), restart);
    }

    /** Installs one plug-in made of {@code jars}; on any failure, undoes what it did. */
    private PluginChange install(String id, String name, String version, List<BundleJar> jars, String source) throws PluginException {
        State state = stateFile.read();
        refuseInstalled(state, id);
        for (BundleJar j : jars) {
            Optional<UserPlugin> owner = state.owner(j.symbolicName());
            if (owner.isPresent()) {
                throw PluginException.wrongRequest(j.symbolicName() + " is already installed, as part of " + owner.get().id() + ".");
            }
            Optional<Bundle> present = bundle(j.symbolicName()).filter(b -> !isUserBundle(b));
            if (present.isPresent()) {
                throw PluginException.wrongRequest(j.symbolicName() + " is already part of Loupe (built in, version " + present.get().getVersion() + ").");
            }
        }
        checkRequirements(id, jars);
        List<Path> copied = new ArrayList<>();
        List<Bundle> bundles = new ArrayList<>();
        try {
            Files.createDirectories(folder);
            List<String> files = new ArrayList<>();
            for (BundleJar j : jars) {
                Path target = j.path().getParent() != null && j.path().toAbsolutePath().getParent().equals(folder) ? j.path().toAbsolutePath()
                        : folder.resolve(j.symbolicName() + "_" + j.version() + ".jar");
                if (!target.equals(j.path().toAbsolutePath())) {
                    if (Files.exists(target)) {
                        throw PluginException.wrongRequest(target + " is in the way: the plug-in folder already has a jar of that name. "
                                + "Move it away, then install again.");
                    }
                    Path tmp = Files.createTempFile(folder, ".install", ".tmp");
                    Files.copy(j.path(), tmp, StandardCopyOption.REPLACE_EXISTING);
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                    copied.add(target);
                }
                files.add(target.getFileName().toString());
                bundles.add(context.installBundle(location(target)));
            }
            remember(bundles);
            resolve(bundles);
            start(bundles);
            stateFile.write(state.with(new UserPlugin(id, name, version, files, jars.stream().map(BundleJar::symbolicName).toList(), true, source)));
        } catch (PluginException | BundleException | IOException | RuntimeException e) {
            undo(bundles, copied);
            if (e instanceof PluginException p) {
                throw p;
            }
            throw PluginException.failed("Loupe could not install " + id + ": " + e.getMessage() + ". Nothing was changed.", e);
        }
        PluginInfo info = list().stream().filter(p -> p.id().equals(id)).findFirst().orElseThrow();
        boolean restart = needsRestart(bundles);
        return new PluginChange("Installed " + name + " " + version + " (" + id + "), which contributes " + info.summary() + ". It is active now."
                + (restart ? " Restart the workbench for its menus and views." : ""), restart);
    }

    private static void refuseInstalled(State state, String id) throws PluginException {
        Optional<UserPlugin> existing = state.plugin(id);
        if (existing.isPresent()) {
            throw PluginException.wrongRequest(id + " " + existing.get().version() + " is already installed. To replace it, uninstall it first "
                    + "(loupe plugins uninstall " + id + ").");
        }
    }

    private void undo(List<Bundle> bundles, List<Path> copied) {
        for (Bundle b : bundles) {
            try {
                b.uninstall();
            } catch (BundleException | IllegalStateException ignored) {
                // already gone
            }
        }
        refresh(bundles);
        for (Path p : copied) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // a stray jar is picked up at the next start and reported then
            }
        }
    }

    /** Fails naming every bundle and package the jars need that neither Loupe nor the jars themselves provide. */
    private void checkRequirements(String id, List<BundleJar> jars) throws PluginException {
        Map<String, List<Version>> bundles = new TreeMap<>();
        Map<String, List<Version>> packages = new TreeMap<>();
        for (Bundle b : context.getBundles()) {
            if (b.getSymbolicName() == null) {
                continue;
            }
            bundles.computeIfAbsent(b.getSymbolicName(), k -> new ArrayList<>()).add(b.getVersion());
            BundleRevision rev = b.adapt(BundleRevision.class);
            if (rev != null) {
                for (BundleCapability c : rev.getDeclaredCapabilities(BundleRevision.PACKAGE_NAMESPACE)) {
                    Object v = c.getAttributes().get(Constants.VERSION_ATTRIBUTE);
                    packages.computeIfAbsent(String.valueOf(c.getAttributes().get(BundleRevision.PACKAGE_NAMESPACE)), k -> new ArrayList<>())
                            .add(v instanceof Version ver ? ver : Version.emptyVersion);
                }
            }
        }
        for (BundleJar j : jars) {
            bundles.computeIfAbsent(j.symbolicName(), k -> new ArrayList<>()).add(j.version());
            j.exports().forEach((pkg, v) -> packages.computeIfAbsent(pkg, k -> new ArrayList<>()).add(v));
        }
        List<String> missing = new ArrayList<>();
        for (BundleJar j : jars) {
            for (BundleJar.Requirement r : j.requirements()) {
                if (r.name().startsWith("java.")) {
                    continue;
                }
                List<Version> have = (r.bundle() ? bundles : packages).getOrDefault(r.name(), List.of());
                if (have.stream().noneMatch(r.range()::includes)) {
                    String found = have.isEmpty() ? "" : " (Loupe has " + have.stream().map(Version::toString).collect(Collectors.joining(", ")) + ")";
                    missing.add(r.describe() + found + (jars.size() > 1 ? " for " + j.symbolicName() : ""));
                }
            }
        }
        if (!missing.isEmpty()) {
            throw PluginException.failed(id + " needs what this Loupe does not have: " + String.join("; ", missing)
                    + ". Install the plug-in that provides it first, or get a build of " + id + " for this version of Loupe.", null);
        }
    }

    /** The bundles of {@code p} in the framework, installed from its jars if {@code installMissing}. */
    private List<Bundle> installed(UserPlugin p, boolean installMissing) throws PluginException {
        List<Bundle> out = new ArrayList<>();
        for (String jar : p.jars()) {
            Path file = folder.resolve(jar);
            Bundle b = context.getBundle(location(file));
            if (b == null && installMissing) {
                if (!Files.isRegularFile(file)) {
                    throw PluginException.failed("its jar " + file + " is missing. Install it again, or uninstall it (loupe plugins uninstall "
                            + p.id() + ").", null);
                }
                try {
                    b = context.installBundle(location(file));
                } catch (BundleException e) {
                    throw PluginException.failed("Loupe could not load " + file + ": " + e.getMessage(), e);
                }
            }
            if (b != null) {
                out.add(b);
            }
        }
        return out;
    }

    private static void start(List<Bundle> bundles) throws PluginException {
        for (Bundle b : bundles) {
            BundleRevision rev = b.adapt(BundleRevision.class);
            if (rev != null && (rev.getTypes() & BundleRevision.TYPE_FRAGMENT) != 0) {
                continue;
            }
            try {
                b.start(Bundle.START_ACTIVATION_POLICY);
            } catch (BundleException e) {
                throw PluginException.failed(b.getSymbolicName() + " did not start: " + e.getMessage(), e);
            }
        }
    }

    /**
     * Stops {@code bundles}, also for the next start: the framework remembers a started bundle, and a
     * disabled one must not start by itself. Classes already in use keep working.
     */
    private static void stop(List<Bundle> bundles) throws PluginException {
        for (Bundle b : bundles) {
            BundleRevision rev = b.adapt(BundleRevision.class);
            if (rev != null && (rev.getTypes() & BundleRevision.TYPE_FRAGMENT) != 0) {
                continue;
            }
            try {
                b.stop();
            } catch (BundleException e) {
                throw PluginException.failed(b.getSymbolicName() + " did not stop: " + e.getMessage(), e);
            }
        }
    }

    /** Uninstalls bundles the framework remembers from the plug-in folder that the state no longer lists (a plugins.json edited by hand). */
    private void removeOrphans(State state) {
        Set<String> listed = state.plugins().stream().flatMap(p -> p.jars().stream()).map(j -> location(folder.resolve(j)))
                .collect(Collectors.toSet());
        List<Bundle> orphans = Arrays.stream(context.getBundles()).filter(b -> isUserBundle(b) && !listed.contains(b.getLocation())).toList();
        undo(orphans, List.of());
    }

    /**
     * Uninstalls the bundles an earlier start installed from another plug-in folder: they are not this
     * folder's plug-ins, and would otherwise contribute as if built in.
     */
    private void removeOtherFolders() {
        Set<String> remembered = remembered();
        List<Bundle> others = Arrays.stream(context.getBundles()).filter(b -> remembered.contains(b.getLocation()) && !isUserBundle(b)).toList();
        undo(others, List.of());
        remembered.removeIf(l -> context.getBundle(l) == null);
        writeRemembered(remembered);
    }

    /** Adds the locations of {@code bundles} to the framework's list of user bundles. */
    private void remember(List<Bundle> bundles) {
        if (!bundles.isEmpty()) {
            Set<String> remembered = remembered();
            bundles.forEach(b -> remembered.add(b.getLocation()));
            writeRemembered(remembered);
        }
    }

    private Set<String> remembered() {
        File f = context.getDataFile(LOCATIONS_FILE);
        Set<String> out = new TreeSet<>();
        if (f != null && f.isFile()) {
            try {
                Files.readAllLines(f.toPath(), StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).forEach(out::add);
            } catch (IOException ignored) {
                // unreadable: nothing is removed, as before the list existed
            }
        }
        return out;
    }

    private void writeRemembered(Set<String> locations) {
        File f = context.getDataFile(LOCATIONS_FILE);
        if (f == null) {
            return; // a framework without a data area keeps nothing across starts
        }
        try {
            Path tmp = Files.createTempFile(f.toPath().getParent(), ".locations", ".tmp");
            Files.write(tmp, locations, StandardCharsets.UTF_8);
            Files.move(tmp, f.toPath(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException ignored) {
            // the next start on another folder cannot tell these bundles apart; they stay, as before
        }
    }

    /** Resolves {@code bundles} together, so the extension registry reads their plugin.xml (also of the ones not started). */
    private void resolve(List<Bundle> bundles) {
        if (!bundles.isEmpty()) {
            context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).adapt(FrameworkWiring.class).resolveBundles(bundles);
        }
    }

    /** Refreshes the framework after uninstalls and waits for it, so the registry has dropped their contributions. */
    private void refresh(List<Bundle> bundles) {
        if (bundles.isEmpty()) {
            return;
        }
        CountDownLatch done = new CountDownLatch(1);
        context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).adapt(FrameworkWiring.class).refreshBundles(bundles, e -> done.countDown());
        try {
            done.await(REFRESH_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** True when a bundle contributes to extension points other than Loupe's (workbench menus, views), which need a restart. */
    private boolean needsRestart(List<Bundle> bundles) {
        Set<String> loupe = new HashSet<>(POINTS.stream().map(Kind::point).toList());
        for (Bundle b : bundles) {
            if (b.getState() == Bundle.UNINSTALLED) {
                continue;
            }
            for (IExtension x : registry.getExtensions(ContributorFactoryOSGi.createContributor(b))) {
                if (!loupe.contains(x.getExtensionPointUniqueIdentifier())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** By contributing bundle, by kind, the ids of the contributions to Loupe's extension points. */
    private Map<String, Map<String, List<String>>> contributions() {
        Map<String, Map<String, List<String>>> out = new TreeMap<>();
        for (Kind k : POINTS) {
            IExtensionPoint point = registry.getExtensionPoint(k.point());
            if (point == null) {
                continue;
            }
            for (IExtension x : point.getExtensions()) {
                for (IConfigurationElement e : x.getConfigurationElements()) {
                    if (k.element().equals(e.getName())) {
                        out.computeIfAbsent(x.getContributor().getName(), c -> new LinkedHashMap<>())
                                .computeIfAbsent(k.label(), c -> new ArrayList<>()).add(idOf(e));
                    }
                }
            }
        }
        out.values().forEach(byKind -> {
            Map<String, List<String>> sorted = new LinkedHashMap<>();
            KINDS.stream().filter(byKind::containsKey).forEach(kind -> sorted.put(kind, byKind.get(kind)));
            byKind.clear();
            byKind.putAll(sorted);
        });
        return out;
    }

    private static String idOf(IConfigurationElement e) {
        for (String attribute : List.of("id", "resultClass", "class")) {
            String v = e.getAttribute(attribute);
            if (v != null && !v.isBlank()) {
                return attribute.equals("id") ? v : v.substring(v.lastIndexOf('.') + 1);
            }
        }
        return e.getName();
    }

    private List<SitePlugin> offers(P2Site site) {
        Set<String> have = Arrays.stream(context.getBundles()).map(Bundle::getSymbolicName).collect(Collectors.toSet());
        List<SitePlugin> out = new ArrayList<>();
        site.features().forEach((id, u) -> {
            List<String> bundles = site.bundlesOf(u);
            out.add(new SitePlugin(id, u.name(), u.version(), true, bundles, bundles.stream().filter(b -> !have.contains(b)).toList()));
        });
        site.bundles().forEach((id, u) -> out.add(new SitePlugin(id, u.name(), u.version(), false, List.of(id),
                have.contains(id) ? List.of() : List.of(id))));
        return out;
    }

    private static SitePlugin onlyNew(String location, List<SitePlugin> offers) throws PluginException {
        List<SitePlugin> features = offers.stream().filter(o -> o.feature() && !o.missing().isEmpty()).toList();
        List<SitePlugin> candidates = features.isEmpty() ? offers.stream().filter(o -> !o.missing().isEmpty()).toList() : features;
        if (candidates.size() == 1) {
            return candidates.get(0);
        }
        if (candidates.isEmpty()) {
            throw PluginException.wrongRequest("Loupe already has everything " + location + " offers.");
        }
        throw PluginException.wrongRequest(location + " offers several plug-ins Loupe does not have: "
                + candidates.stream().map(SitePlugin::id).collect(Collectors.joining(", ")) + ". Choose one with --plugin ID.");
    }

    private static SitePlugin named(String location, List<SitePlugin> offers, String id) throws PluginException {
        String wanted = id.endsWith(".feature.group") ? id.substring(0, id.length() - ".feature.group".length()) : id;
        return offers.stream().filter(o -> o.feature() && o.id().equals(wanted)).findFirst()
                .or(() -> offers.stream().filter(o -> o.id().equals(wanted)).findFirst())
                .orElseThrow(() -> PluginException.wrongRequest(location + " offers no plug-in '" + id + "'. Its features: "
                        + offers.stream().filter(SitePlugin::feature).map(SitePlugin::id).collect(Collectors.joining(", "))
                        + "; bundles Loupe does not have: " + offers.stream().filter(o -> !o.feature() && !o.missing().isEmpty())
                                .map(SitePlugin::id).collect(Collectors.joining(", "))
                        + "."));
    }

    private boolean builtIn(State state, String id) {
        return state.owner(id).isEmpty() && contributions().containsKey(id) && bundle(id).isPresent();
    }

    private PluginException notInstalled(State state, String id) {
        List<String> ids = new ArrayList<>(contributions().keySet().stream().filter(b -> state.owner(b).isEmpty()).toList());
        state.plugins().forEach(p -> ids.add(p.id()));
        return PluginException.wrongRequest("There is no plug-in '" + id + "'. Installed plug-ins: " + String.join(", ", ids.stream().sorted().toList())
                + " ('loupe plugins list' shows them).");
    }

    private Optional<Bundle> bundle(String symbolicName) {
        return Arrays.stream(context.getBundles()).filter(b -> symbolicName.equals(b.getSymbolicName()))
                .max(Comparator.comparing(Bundle::getVersion));
    }

    private boolean isUserBundle(Bundle b) {
        return b.getLocation().startsWith(location(folder).replaceAll("/$", "") + "/");
    }

    private static String location(Path file) {
        return "reference:" + file.toAbsolutePath().toUri();
    }

    private static String name(Bundle b) {
        String n = b.getHeaders("").get(Constants.BUNDLE_NAME);
        return n == null || n.startsWith("%") ? b.getSymbolicName() : n;
    }

    private List<Path> droppedJars(Set<String> known) throws PluginException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(folder, "*.jar")) {
            dir.forEach(p -> {
                if (!known.contains(p.getFileName().toString())) {
                    out.add(p);
                }
            });
        } catch (IOException e) {
            throw PluginException.failed("Cannot read the plug-in folder " + folder + ": " + e.getMessage(), e);
        }
        out.sort(null);
        return out;
    }

    private static void deleteTree(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary folder left behind
        }
    }
}
