/**
 * Deliberately broken contributions for Loupe's isolation tests: an analysis that cannot be
 * created, one that throws, one that never returns, one that leaks and throws, an image source and
 * a model loader that fail. Not part of any product feature.
 */
package org.loupe.test.broken;
