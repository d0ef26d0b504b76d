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
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.RegistryFactory;
import org.loupe.core.analysis.ParameterBinder;
import org.loupe.core.images.ImageSource;
import org.loupe.core.model.HookedModel;
import org.loupe.core.model.ModelLoadException;
import org.loupe.core.model.ModelLoader;
import org.loupe.core.plugins.PluginManager;
import org.loupe.djl.LoupeEngine;

/**
 * Loupe's view of its extension points: the contributed model loaders, built-in models, analyses and
 * image sources, read lazily from the Eclipse extension registry (contributed classes are only
 * created when used). Also opens models and image sources from the text a user types.
 *
 * @since 0.1
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

    /**
     * The plug-ins whose contributions were left out: a plugin.xml that could not be read, or a
     * declaration without an id or a class. Each names the plug-in and says what is wrong.
     */
    public List<PluginProblem> problems() {
        return PluginProblems.find(registry, List.of(MODEL_LOADERS, ANALYSES, IMAGE_SOURCES, RESULT_TYPES));
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
                return opened(b, () -> b.createFactory().create(b.id(), pm));
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
        List<String> failed = new ArrayList<>();
        for (LoaderDescriptor d : loaders) {
            if (d.matchesName(path)) {
                ModelLoader loader;
                boolean recognised;
                try {
                    loader = d.createLoader();
                    recognised = d.guard("when it was asked whether it opens " + path.getFileName(), () -> loader.canLoad(path));
                } catch (PluginFailure f) {
                    failed.add(f.getMessage());
                    continue;
                }
                if (recognised) {
                    return opened(d, () -> loader.load(path, pm));
                }
            }
        }
        throw new ModelLoadException("No model loader recognises " + path.toAbsolutePath() + ". Loupe opens: "
                + loaders.stream().map(d -> d.name() + " (" + String.join(", ", d.fileExtensions()) + ")")
                        .collect(Collectors.joining("; ")) + "." + (failed.isEmpty() ? "" : " " + String.join(" ", failed)));
    }

    /** What a plug-in's model loading code does that can fail with a ModelLoadException. */
    private interface Loading {
        HookedModel load() throws ModelLoadException;
    }

    /** Runs a plug-in's loading code; what it throws besides a ModelLoadException becomes one naming the plug-in. */
    private static HookedModel opened(Contribution c, Loading loading) throws ModelLoadException {
        try {
            return loading.load();
        } catch (ModelLoadException | OperationCanceledException e) {
            throw e;
        } catch (PluginFailure f) {
            throw new ModelLoadException(f.getMessage(), f);
        } catch (Throwable t) {
            PluginFailure f = c.failure("when its " + c.kind() + " '" + c.name() + "' opened the model", t);
            throw new ModelLoadException(f.getMessage(), f);
        } finally {
            // opening ran a pass (hook-point discovery); its engine workers would keep the analyses' from spinning
            LoupeEngine.releaseThreadPool();
        }
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

    /**
     * Opens the image source {@code id} with parameters given as text.
     *
     * @throws IllegalArgumentException if there is no such source or a parameter is wrong
     * @throws PluginFailure            naming the plug-in if the source's code fails
     */
    public ImageSource openImageSource(String id, Map<String, String> params, long seed) {
        ImageSourceDescriptor d = imageSources().stream().filter(s -> s.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("There is no image source '" + id + "'; sources: "
                        + imageSources().stream().map(ImageSourceDescriptor::id).collect(Collectors.joining(", "))
                        + ", or give a file or folder path."));
        try {
            return d.createFactory().openFromText(params, seed);
        } catch (IllegalArgumentException | PluginFailure e) {
            throw e;
        } catch (Throwable t) {
            throw d.failure("when its image source '" + d.id() + "' opened images", t);
        }
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
            if (element.equals(e.getName()) && Contribution.declarationProblem(e).isEmpty()
                    && enabledContributor.test(e.getContributor().getName())) {
                out.add(make.apply(e));
            }
        }
        return out;
    }
}
