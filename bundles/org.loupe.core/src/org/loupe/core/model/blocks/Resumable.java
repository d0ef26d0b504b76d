package org.loupe.core.model.blocks;

/**
 * A network block whose forward pass is a {@link Trunk}, so that {@link BlockModel} can start a pass
 * at any hook point on it. A {@code SequentialBlock} is resumable without this (its children are its
 * trunk).
 *
 * @since 0.1
 */
public interface Resumable {

    /** The block's trunk. */
    Trunk trunk();
}
