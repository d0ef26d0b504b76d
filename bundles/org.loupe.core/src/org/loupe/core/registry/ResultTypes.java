package org.loupe.core.registry;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.loupe.core.result.Result;
import org.loupe.core.result.ResultCodec;

/**
 * The result types the run store knows, looked up by a result's class (for writing) and by the id
 * in {@code run.json} (for reading). Ids and classes are unique: when two bundles declare the same
 * one, the declaration from {@code org.loupe.core} wins, else the one from the bundle whose name
 * sorts first, and the other is reported in {@link #problems()}, so the choice never depends on the
 * order in which bundles were installed.
 *
 * @since 0.1
 */
public final class ResultTypes {

    private static final String CORE = "org.loupe.core";

    private final Map<String, ResultType> byId = new LinkedHashMap<>();
    private final Map<String, ResultType> byClass = new LinkedHashMap<>();
    private final List<String> problems = new ArrayList<>();

    /** The given types, duplicates resolved as described above. */
    public ResultTypes(List<? extends ResultType> types) {
        List<ResultType> sorted = new ArrayList<>(types);
        sorted.sort(Comparator.comparing((ResultType t) -> !t.contributor().equals(CORE)).thenComparing(ResultType::contributor));
        for (ResultType t : sorted) {
            ResultType byIdFirst = byId.get(t.id());
            ResultType byClassFirst = byClass.get(t.resultClass());
            if (byIdFirst != null || byClassFirst != null) {
                ResultType first = byIdFirst != null ? byIdFirst : byClassFirst;
                problems.add("result type '" + t.id() + "' (" + t.resultClass() + ") from " + t.contributor()
                        + " is ignored: " + first.contributor() + " already declares '" + first.id() + "' (" + first.resultClass() + ")");
                continue;
            }
            byId.put(t.id(), t);
            byClass.put(t.resultClass(), t);
        }
    }

    /** The result types of the running platform's extension registry. */
    public static ResultTypes platform() {
        return new LoupeRegistry().resultTypes();
    }

    /**
     * These types plus one more given directly (for tests and for tools that run without the
     * extension registry); it overrides a declared type with the same id or class.
     */
    public <R extends Result> ResultTypes with(String id, Class<R> resultClass, ResultCodec<R> codec) {
        List<ResultType> all = new ArrayList<>(byId.values());
        all.removeIf(t -> t.id().equals(id) || t.resultClass().equals(resultClass.getName()));
        all.add(new Given(id, resultClass.getName(), CORE, codec));
        return new ResultTypes(all);
    }

    /** All types, by id. */
    public List<ResultType> all() {
        return List.copyOf(byId.values());
    }

    /** The type with {@code id}, if declared. */
    public Optional<ResultType> forId(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** The type of {@code result}: the one declared for its class, else for its nearest superclass or interface. */
    public Optional<ResultType> forResult(Result result) {
        Deque<Class<?>> todo = new ArrayDeque<>();
        todo.add(result.getClass());
        while (!todo.isEmpty()) {
            Class<?> c = todo.poll();
            ResultType t = byClass.get(c.getName());
            if (t != null) {
                return Optional.of(t);
            }
            if (c.getSuperclass() != null && c.getSuperclass() != Object.class) {
                todo.add(c.getSuperclass());
            }
            for (Class<?> i : c.getInterfaces()) {
                if (i != Result.class) {
                    todo.add(i);
                }
            }
        }
        return Optional.empty();
    }

    /** Declarations that were ignored, with the reason. */
    public List<String> problems() {
        return List.copyOf(problems);
    }

    /** A type given in code. */
    private record Given(String id, String resultClass, String contributor, ResultCodec<?> codec) implements ResultType {
    }
}
