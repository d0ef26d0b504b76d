package org.loupe.cli.internal;

import java.io.PrintStream;

import org.loupe.core.registry.LoupeRegistry;

/**
 * What every command works with.
 *
 * @param registry the contributions (loaders, built-in models, analyses, image sources)
 * @param out      results: what a script reads
 * @param err      progress, warnings and errors
 */
public record Env(LoupeRegistry registry, PrintStream out, PrintStream err) {
}
