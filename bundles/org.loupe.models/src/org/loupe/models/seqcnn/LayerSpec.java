package org.loupe.models.seqcnn;

/**
 * One layer of a sequential CNN config.
 *
 * @param name        the layer's name: its hook point and the prefix of its tensors ({@code conv1.weight})
 * @param type        conv2d, batchnorm2d, relu, gelu, sigmoid, tanh, maxpool2d, avgpool2d,
 *                    global_avgpool, flatten, linear or dropout
 * @param outChannels output channels (conv2d) or features (linear)
 * @param kernel      kernel size (conv2d, pools)
 * @param stride      stride (conv2d, pools; pools default to the kernel size)
 * @param padding     zero padding (conv2d, pools)
 * @param bias        whether conv2d/linear have a bias
 * @param eps         batchnorm2d epsilon
 *
 * @since 0.1
 */
public record LayerSpec(String name, String type, int outChannels, int kernel, int stride, int padding, boolean bias, float eps) {
}
