package org.loupe.core.plugins;

import java.util.List;

/**
 * A plug-in a p2 site (an update site) offers: a feature with its bundles, or a single bundle.
 *
 * @param id      the feature id (without {@code .feature.group}) or the bundle's symbolic name
 * @param name    the name shown to users
 * @param version its version
 * @param feature true for a feature
 * @param bundles the bundles it is made of (for a bundle, itself)
 * @param missing those of {@code bundles} this Loupe does not have yet: what installing it adds
 *
 * @since 0.1
 */
public record SitePlugin(String id, String name, String version, boolean feature, List<String> bundles, List<String> missing) {
}
