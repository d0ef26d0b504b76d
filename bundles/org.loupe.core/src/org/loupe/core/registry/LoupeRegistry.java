package org.loupe.core.registry;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.eclipse.core.runtime.IConfigurationElement;
import org.eclipse.core.runtime.IExtensionRegistry;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.core.runtime.RegistryFactory;
import org.loupe.core.analysis.ParameterBinder;
import org.loupe.core.images.ImageSource;
import org.loupe.core.model.HookedModel;
import org.loupe.core.model.ModelLoadException;
import org.loupe.core.model.ModelLoader;
import org.loupe.core.plugins.PluginManager;

/**
 * Loupe's view of its extension points: the contributed model loaders, built-in models, analyses and
 * image sources, read lazily from the Eclipse extension registry (contributed classes are only
 * created when used). Also opens models and image sources from the text a user types.
 */
public final class LoupeRegistry {

    /** Extension point of model loaders and built-in models. */
    public static final String MODEL_LOADERS = "org.loupe.core.modelLoaders";
    /** Extension point of analyses. */
    public static final String ANALYSES = "org.loupe.core.analyses";
    /** Extension point of image sources. */
    public static final String IMAGE_SOURCES = "org.loupe.core.imageSources";
    /** Extension point of result types and their codecs. */
    public static final String RESULT_TYPES = "org.loupe.core.resultTypes";
    /** Prefix that marks a built-in model id where it could be mistaken for a path. */
    public static final String BUILTIN_PREFIX = "builtin:";

    private final IExtensionRegistry registry;
    private final Predicate<String> enabledContributor;

    /** The registry of the running platform, without the contributions of plug-ins the user disabled. */
    public LoupeRegistry() {
        this(RegistryFactory.getRegistry(), PluginManager.enabledContributors(PluginManager.defaultFolder()));
    }

    /** A view of {@code registry}, with every contribution. */
    public LoupeRegistry(IExtensionRegistry registry) {
        this(registry, contributor -> true);
    }

    /**
     * A view of {@code registry} with the contributions of the bundles {@code enabledContributor} accepts
     * (given bundle symbolic names); the others are ignored, as for a disabled plug-in.
     */
    public LoupeRegistry(IExtensionRegistry registry, Predicate<String> enabledContributor) {
        if (registry == null) {
            throw new IllegalStateException("no extension registry: Loupe must run inside its OSGi runtime");
        }
        this.registry = registry;
        this.enabledContributor = enabledContributor;
    }

    /** The model loaders. */
    public List<LoaderDescriptor> loaders() {
        return read(MODEL_LOADERS, "loader", LoaderDescriptor::new);
    }

    /** The built-in models. */
    public List<BuiltinModelDescriptor> builtinModels() {
        return read(MODEL_LOADERS, "builtinModel", BuiltinModelDescriptor::new);
    }

    /** The analyses, by category then name. */
    public List<AnalysisDescriptor> analyses() {
        List<AnalysisDescriptor> list = new ArrayList<>(read(ANALYSES, "analysis", AnalysisDescriptor::new));
        list.sort(Comparator.comparing(AnalysisDescriptor::category).thenComparing(AnalysisDescriptor::name));
        return list;
    }

    /** The result types the run store can keep (built-in and contributed), resolved by {@link ResultTypes}. */
    public ResultTypes resultTypes() {
        return new ResultTypes(read(RESULT_TYPES, "resultType", ResultTypeDescriptor::new));
    }

    /** The image sources. */
    public List<ImageSourceDescriptor> imageSources() {
        return read(IMAGE_SOURCES, "imageSource", ImageSourceDescriptor::new);
    }

    /** The analysis with {@code id}, if declared. */
    public Optional<AnalysisDescriptor> analysis(String id) {
        return analyses().stream().filter(a -> a.id().equals(id) || a.command().filter(id::equals).isPresent()).findFirst();
    }

    /** The analysis with {@code id}; throws naming the declared ones if there is none. */
    public AnalysisDescriptor requireAnalysis(String id) {
        return analysis(id).orElseThrow(() -> new IllegalArgumentException("no analysis '" + id + "'; analyses: "
                + analyses().stream().map(AnalysisDescriptor::id).collect(Collectors.joining(", "))));
    }

    /** The built-in model the workbench opens first. */
    public Optional<BuiltinModelDescriptor> defaultModel() {
        List<BuiltinModelDescriptor> all = builtinModels();
        return all.stream().filter(BuiltinModelDescriptor::isDefault).findFirst().or(() -> all.stream().findFirst());
    }

    /**
     * Opens a model from a built-in id ({@code demo-cnn} or {@code builtin:demo-cnn}) or a file or
     * folder path, with the first loader that recognises it.
     *
     * @throws ModelLoadException if nothing is called that, no loader recognises it, or loading fails
     */
    public HookedModel openModel(String spec, IProgressMonitor monitor) throws ModelLoadException {
        IProgressMonitor pm = monitor == null ? new NullProgressMonitor() : monitor;
        String id = spec.startsWith(BUILTIN_PREFIX) ? spec.substring(BUILTIN_PREFIX.length()) : spec;
        for (BuiltinModelDescriptor b : builtinModels()) {
            if (b.id().equals(id)) {
                return b.createFactory().create(b.id(), pm);
            }
        }
        Path path = Path.of(spec);
        if (!Files.exists(path)) {
            throw new ModelLoadException("There is no file, folder or built-in model called '" + spec + "'. Built-in models: "
                    + builtinModels().stream().map(BuiltinModelDescriptor::id).collect(Collectors.joining(", ")) + ".");
        }
        if (!Files.isReadable(path)) {
            throw new ModelLoadException("Cannot read " + path.toAbsolutePath() + ": permission denied.");
        }
        List<LoaderDescriptor> loaders = loaders();
        for (LoaderDescriptor d : loaders) {
            if (d.matchesName(path)) {
                ModelLoader loader = d.createLoader();
                if (loader.canLoad(path)) {
                    return loader.load(path, pm);
                }
            }
        }
        throw new ModelLoadException("No model loader recognises " + path.toAbsolutePath() + ". Loupe opens: "
                + loaders.stream().map(d -> d.name() + " (" + String.join(", ", d.fileExtensions()) + ")")
                        .collect(Collectors.joining("; ")) + ".");
    }

    /**
     * Opens images from a spec: an existing file or folder (through the {@code folder} source), or
     * {@code sourceId[:key=value,key=value]}.
     *
     * @throws IllegalArgumentException if the spec names nothing, or a parameter is wrong
     */
    public ImageSource openImages(String spec, long seed) {
        String trimmed = spec.trim();
        Path path = trimmed.isEmpty() ? null : tryPath(trimmed);
        if (path != null && Files.exists(path)) {
            return openImageSource("folder", Map.of("path", path.toAbsolutePath().toString()), seed);
        }
        int colon = trimmed.indexOf(':');
        String id = colon < 0 ? trimmed : trimmed.substring(0, colon);
        Map<String, String> params = colon < 0 || colon == trimmed.length() - 1 ? Map.of()
                : ParameterBinder.parseAssignments(List.of(trimmed.substring(colon + 1).split(",")));
        if (imageSources().stream().noneMatch(s -> s.id().equals(id)) && (trimmed.contains("/") || trimmed.contains("."))) {
            throw new IllegalArgumentException("There is no file or folder '" + trimmed + "'.");
        }
        return openImageSource(id, params, seed);
    }

    /** Opens the image source {@code id} with parameters given as text. */
    public ImageSource openImageSource(String id, Map<String, String> params, long seed) {
        ImageSourceDescriptor d = imageSources().stream().filter(s -> s.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("There is no image source '" + id + "'; sources: "
                        + imageSources().stream().map(ImageSourceDescriptor::id).collect(Collectors.joining(", "))
                        + ", or give a file or folder path."));
        return d.createFactory().openFromText(params, seed);
    }

    private static Path tryPath(String s) {
        try {
            return Path.of(s);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private <T> List<T> read(String point, String element, Function<IConfigurationElement, T> make) {
        List<T> out = new ArrayList<>();
        for (IConfigurationElement e : registry.getConfigurationElementsFor(point)) {
            if (element.equals(e.getName()) && enabledContributor.test(e.getContributor().getName())) {
                out.add(make.apply(e));
            }
        }
        return out;
    }
}
