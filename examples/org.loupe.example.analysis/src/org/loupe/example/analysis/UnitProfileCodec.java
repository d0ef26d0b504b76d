package org.loupe.example.analysis;

import org.loupe.core.result.ResultCodec;
import org.loupe.core.result.RunFiles;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

/**
 * Stores a {@link UnitProfile} in {@code run.json}: the model and hook point, and one array each of
 * means, stds and dead flags (doubles as JSON numbers, which read back exactly).
 */
public class UnitProfileCodec implements ResultCodec<UnitProfile> {

    @Override
    public void write(UnitProfile p, JsonObject out, RunFiles files) {
        out.addProperty("model", p.model());
        out.addProperty("hookPoint", p.hookPoint());
        JsonArray mean = new JsonArray();
        JsonArray std = new JsonArray();
        JsonArray dead = new JsonArray();
        for (int u = 0; u < p.units(); u++) {
            mean.add(p.mean()[u]);
            std.add(p.std()[u]);
            dead.add(p.dead()[u]);
        }
        out.add("mean", mean);
        out.add("std", std);
        out.add("dead", dead);
    }

    @Override
    public UnitProfile read(JsonObject in, RunFiles files) {
        JsonArray mean = in.getAsJsonArray("mean");
        JsonArray std = in.getAsJsonArray("std");
        JsonArray dead = in.getAsJsonArray("dead");
        double[] m = new double[mean.size()];
        double[] s = new double[std.size()];
        boolean[] d = new boolean[dead.size()];
        for (int u = 0; u < m.length; u++) {
            m[u] = mean.get(u).getAsDouble();
        }
        for (int u = 0; u < s.length; u++) {
            s[u] = std.get(u).getAsDouble();
        }
        for (int u = 0; u < d.length; u++) {
            d[u] = dead.get(u).getAsBoolean();
        }
        return new UnitProfile(in.get("title").getAsString(), in.get("model").getAsString(), in.get("hookPoint").getAsString(), m, s, d);
    }
}
