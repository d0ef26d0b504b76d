package org.loupe.models.vit;

/**
 * The size of a Vision Transformer, as read from its weights (and the sidecar for what the weights
 * do not show: the number of heads, LayerNorm epsilon).
 *
 * @param names          the naming convention of the file
 * @param channels       input channels (3, or 1 for grayscale)
 * @param patch          patch size in pixels (square patches)
 * @param grid           patches per side: the input is {@code grid * patch} pixels square
 * @param width          token width (hidden dimension)
 * @param depth          number of encoder blocks
 * @param heads          attention heads per block
 * @param mlp            width of the MLP hidden layer
 * @param representation width of torchvision's {@code heads.pre_logits} layer, 0 if there is none
 * @param classes        outputs of the classifier, 0 if there is none (the output is then the pooled features)
 * @param eps            LayerNorm epsilon
 *
 * @since 0.1
 */
public record VitConfig(VitNames names, int channels, int patch, int grid, int width, int depth, int heads, int mlp,
        int representation, int classes, float eps) {

    /** The input size in pixels (height and width). */
    public int imageSize() {
        return grid * patch;
    }

    /** Tokens per image: the patches and the class token. */
    public int tokens() {
        return grid * grid + 1;
    }

    /** Width of one head. */
    public int headWidth() {
        return width / heads;
    }

    /** Whether the model ends in a classifier (else its output is the pooled class token). */
    public boolean hasClassifier() {
        return classes > 0;
    }
}
