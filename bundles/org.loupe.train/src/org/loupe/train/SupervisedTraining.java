package org.loupe.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.LongFunction;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;
import org.loupe.core.images.Batches;
import org.loupe.core.images.ImageSource;
import org.loupe.core.images.ImageTensors;
import org.loupe.core.images.SourceImage;
import org.loupe.core.model.HookedModel;
import org.loupe.core.model.Hooks;
import org.loupe.core.model.InputSpec;
import org.loupe.djl.LoupeEngine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;

/**
 * Trains an image classifier block with Adam and a cosine learning-rate schedule on labelled images
 * that are generated fresh for every epoch (each epoch asks {@code data} for a source with its own
 * seed), so the model never sees an image twice. Uses Loupe's gradient collector (exact
 * convolution gradients).
 *
 * @since 0.1
 */
public final class SupervisedTraining {

    /**
     * Training settings.
     *
     * @param epochs         passes, each over fresh images
     * @param imagesPerEpoch images per epoch
     * @param batchSize      images per step
     * @param learningRate   Adam's peak learning rate (cosine decay to 5 % of it)
     * @param weightDecay    L2 weight decay
     * @param seed           seed of the data streams and of weight initialisation
     * @param warmupEpochs   epochs of linear learning-rate warm-up before the cosine decay
     * @param clipGradient   the global gradient norm is clipped to this (0: no clipping)
     */
    public record Settings(int epochs, int imagesPerEpoch, int batchSize, float learningRate, float weightDecay, long seed,
            int warmupEpochs, float clipGradient) {
    }

    /**
     * One epoch's record.
     *
     * @param epoch    the epoch number, from 1
     * @param loss     mean training loss
     * @param accuracy training accuracy
     * @param seconds  wall-clock time
     */
    public record Epoch(int epoch, double loss, double accuracy, double seconds) {
    }

    private SupervisedTraining() {
    }

    /**
     * Trains {@code block} in place (it must be initialised; its parameters must not be frozen).
     *
     * @param classes class names; an image's label must be one of them
     * @param data    the labelled training images of an epoch, given the epoch's seed
     */
    public static List<Epoch> train(Block block, NDManager weights, InputSpec input, List<String> classes, LongFunction<ImageSource> data,
            Settings s, IProgressMonitor monitor, Consumer<String> log) {
        int perEpoch = (s.imagesPerEpoch() + s.batchSize() - 1) / s.batchSize();
        int steps = s.epochs() * perEpoch;
        int warmup = Math.min(steps - 1, s.warmupEpochs() * perEpoch);
        Tracker cosine = Tracker.cosine().setBaseValue(s.learningRate()).optFinalValue(s.learningRate() * 0.05f)
                .setMaxUpdates(Math.max(1, steps - warmup)).build();
        Tracker schedule = warmup > 0
                ? Tracker.warmUp().setMainTracker(cosine).optWarmUpSteps(warmup).optWarmUpBeginValue(s.learningRate() * 0.01f).build()
                : cosine;
        Optimizer adam = Optimizer.adam().optLearningRateTracker(schedule).optWeightDecays(s.weightDecay()).build();
        int skipped = 0;
        Loss loss = Loss.softmaxCrossEntropyLoss();
        ParameterStore ps = new ParameterStore(weights, false);
        SubMonitor sm = SubMonitor.convert(monitor, "Training", steps);
        List<Epoch> history = new ArrayList<>();
        for (int e = 1; e <= s.epochs(); e++) {
            long t0 = System.nanoTime();
            double lossSum = 0;
            int seen = 0;
            int correct = 0;
            try (ImageSource source = data.apply(s.seed() * 1000 + e)) {
                var it = source.iterator();
                List<SourceImage> batch = new ArrayList<>();
                while (seen < s.imagesPerEpoch() && it.hasNext()) {
                    batch.add(it.next());
                    if (batch.size() < s.batchSize() && it.hasNext() && seen + batch.size() < s.imagesPerEpoch()) {
                        continue;
                    }
                    if (sm.isCanceled()) {
                        throw new org.eclipse.core.runtime.OperationCanceledException();
                    }
                    try (NDManager m = weights.newSubManager()) {
                        NDArray x = ImageTensors.toInput(m, batch.stream().map(SourceImage::image).toList(), input);
                        NDArray y = m.create(labels(batch, classes));
                        NDList forward = LoupeEngine.gradients(scope -> {
                            NDArray out = block.forward(ps, new NDList(x), true).singletonOrThrow();
                            NDArray value = loss.evaluate(new NDList(y), new NDList(out));
                            scope.backward(value);
                            return new NDList(out, value);
                        });
                        NDArray logits = forward.get(0);
                        NDArray l = forward.get(1);
                        List<Parameter> trained = new ArrayList<>();
                        List<NDArray> grads = new ArrayList<>();
                        double sumSq = 0;
                        for (Pair<String, Parameter> p : block.getParameters()) {
                            Parameter param = p.getValue();
                            if (param.requiresGradient()) {
                                NDArray g = param.getArray().getGradient();
                                g.attach(m); // a view of the gradient: released with the step
                                trained.add(param);
                                grads.add(g);
                                sumSq += g.square().sum().getFloat();
                            }
                        }
                        double norm = Math.sqrt(sumSq);
                        if (Double.isFinite(norm)) {
                            float scale = s.clipGradient() > 0 && norm > s.clipGradient() ? (float) (s.clipGradient() / norm) : 1f;
                            for (int i = 0; i < trained.size(); i++) {
                                NDArray g = grads.get(i);
                                if (scale != 1f) {
                                    g.muli(scale);
                                }
                                adam.update(trained.get(i).getId(), trained.get(i).getArray(), g);
                            }
                        } else if (++skipped > 10) {
                            throw new IllegalStateException("training diverged in epoch " + e + ": the gradient was not finite in "
                                    + skipped + " steps; lower the learning rate");
                        }
                        for (NDArray g : grads) {
                            g.set(new NDIndex("..."), 0f); // assignment, so a non-finite gradient does not poison the next step
                        }
                        float stepLoss = l.getFloat();
                        if (!Float.isFinite(stepLoss)) {
                            throw new IllegalStateException("training diverged in epoch " + e + " (loss " + stepLoss
                                    + "); lower the learning rate or clip gradients");
                        }
                        lossSum += stepLoss * batch.size();
                        correct += (int) logits.argMax(1).toType(ai.djl.ndarray.types.DataType.INT32, false)
                                .eq(y.toType(ai.djl.ndarray.types.DataType.INT32, false)).sum().getLong();
                    }
                    seen += batch.size();
                    sm.worked(1);
                    batch.clear();
                }
            }
            Epoch ep = new Epoch(e, lossSum / Math.max(1, seen), (double) correct / Math.max(1, seen), (System.nanoTime() - t0) / 1e9);
            history.add(ep);
            log.accept(String.format(Locale.ROOT, "epoch %d/%d: loss %.4f, train accuracy %.2f%%, %.1f s", e, s.epochs(), ep.loss(),
                    100 * ep.accuracy(), ep.seconds()));
        }
        return history;
    }

    /** Fraction of labelled images in {@code test} whose top class is their label. */
    public static double accuracy(HookedModel model, ImageSource test, int batchSize) {
        List<String> classes = model.labels();
        int[] correct = {0};
        int total = Batches.forEach(test, batchSize, () -> { }, batch -> {
            try (NDManager m = LoupeEngine.get().newBaseManager()) {
                NDArray x = ImageTensors.toInput(m, batch.stream().map(SourceImage::image).toList(), model.inputSpec());
                long[] predicted = model.forward(x, Hooks.none()).output().argMax(1).toLongArray();
                float[] truth = labels(batch, classes);
                for (int i = 0; i < predicted.length; i++) {
                    correct[0] += predicted[i] == (long) truth[i] ? 1 : 0;
                }
            }
        });
        return total == 0 ? 0 : (double) correct[0] / total;
    }

    private static float[] labels(List<SourceImage> batch, List<String> classes) {
        float[] y = new float[batch.size()];
        for (int i = 0; i < y.length; i++) {
            String label = batch.get(i).label();
            int idx = classes.indexOf(label);
            if (idx < 0) {
                throw new IllegalArgumentException("image " + batch.get(i).name() + " is labelled '" + label + "', not one of " + classes);
            }
            y[i] = idx;
        }
        return y;
    }
}
