package org.loupe.analysis.featureviz;

import java.util.ArrayList;
import java.util.List;

import ai.djl.ndarray.NDArray;

/**
 * Adam as {@code torch.optim.Adam} computes it (no weight decay, no amsgrad): per tensor,
 * {@code m = b1 m + (1 - b1) g}, {@code v = b2 v + (1 - b2) g^2},
 * {@code p -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)}. Lucent's optimiser, with
 * {@code lr = 0.05}. The moments are kept beside the parameters, in their manager.
 *
 * @since 0.1
 */
public final class Adam {

    /** Lucent's learning rate. */
    public static final double LUCENT_LR = 0.05;

    private final double lr;
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final List<NDArray> params;
    private final List<NDArray> m = new ArrayList<>();
    private final List<NDArray> v = new ArrayList<>();
    private int t;

    /** Adam over {@code params} with PyTorch's betas (0.9, 0.999) and eps 1e-8. */
    public Adam(List<NDArray> params, double lr) {
        this(params, lr, 0.9, 0.999, 1e-8);
    }

    /** Adam over {@code params}. */
    public Adam(List<NDArray> params, double lr, double beta1, double beta2, double eps) {
        if (!(lr > 0)) {
            throw new IllegalArgumentException("the learning rate must be > 0, got " + lr);
        }
        this.lr = lr;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.params = List.copyOf(params);
        for (NDArray p : params) {
            m.add(p.zerosLike());
            v.add(p.zerosLike());
        }
    }

    /** The tensors whose values persist between steps (parameters and moments). */
    public List<NDArray> state() {
        List<NDArray> all = new ArrayList<>(params);
        all.addAll(m);
        all.addAll(v);
        return all;
    }

    /** One step down the gradients {@code grads} (one per parameter, in order), in place. */
    public void step(List<NDArray> grads) {
        t++;
        double bc1 = 1 - Math.pow(beta1, t);
        double bc2 = 1 - Math.pow(beta2, t);
        for (int i = 0; i < params.size(); i++) {
            NDArray g = grads.get(i);
            m.get(i).muli((float) beta1).addi(g.mul((float) (1 - beta1)));
            v.get(i).muli((float) beta2).addi(g.square().mul((float) (1 - beta2)));
            NDArray denom = v.get(i).sqrt().div((float) Math.sqrt(bc2)).add((float) eps);
            // through a detached alias of the leaf's storage, as torch.optim updates under no_grad: a thread
            // whose grad mode is on (the workbench's job threads) refuses an in-place change of a leaf that requires grad
            try (NDArray storage = params.get(i).stopGradient()) {
                storage.subi(m.get(i).div(denom).mul((float) (lr / bc1)));
            }
        }
    }
}
