package org.loupe.stimuli.synth;

import java.util.SplittableRandom;

/**
 * Independent random streams from a seed: stream {@code (domain, index)} of a seed is a
 * {@link SplittableRandom} whose seed is a bijective function of {@code index} for a fixed seed
 * and domain, so different indices never share a stream, and image {@code i} depends only on the
 * seed and {@code i} (not on which images were made before it).
 *
 * @since 0.1
 */
public final class Seeds {

    private Seeds() {
    }

    /** The SplitMix64 finaliser: a bijection on 64-bit values that mixes every bit. */
    public static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** The random stream number {@code index} of {@code domain} under {@code seed}. */
    public static SplittableRandom stream(long seed, long domain, long index) {
        long base = mix64(mix64(seed) ^ mix64(domain * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L));
        return new SplittableRandom(mix64(base + index));
    }
}
