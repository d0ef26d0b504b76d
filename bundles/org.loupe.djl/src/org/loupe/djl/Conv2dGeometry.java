package org.loupe.djl;

/**
 * What a 2-D convolution block with a square kernel does to positions: its stride, zero padding
 * and channel groups (the kernel size is the weight's shape). Weight analyses read it to compose
 * convolutions (expanded weights); {@link SafeConv2d} and the convolutions of Loupe's
 * architectures implement it.
 *
 * @since 0.1
 */
public interface Conv2dGeometry {

    /** The stride, rows and columns alike. */
    int stride();

    /** The zero padding on every side. */
    int padding();

    /** The number of channel groups (1: a plain convolution). */
    int groups();
}
