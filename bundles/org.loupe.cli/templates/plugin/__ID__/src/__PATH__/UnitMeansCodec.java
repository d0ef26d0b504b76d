package __ID__;

import org.loupe.core.result.ResultCodec;
import org.loupe.core.result.RunFiles;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

/**
 * Stores {@link UnitMeans} in a run's {@code run.json} (Loupe writes the title itself): the hook
 * point, and the means and peaks as JSON numbers, which read back exactly.
 */
public class UnitMeansCodec implements ResultCodec<UnitMeans> {

    @Override
    public void write(UnitMeans r, JsonObject out, RunFiles files) {
        out.addProperty("hookPoint", r.hookPoint());
        out.add("mean", array(r.mean()));
        out.add("peak", array(r.peak()));
    }

    @Override
    public UnitMeans read(JsonObject in, RunFiles files) {
        return new UnitMeans(in.get("title").getAsString(), in.get("hookPoint").getAsString(), values(in.getAsJsonArray("mean")),
                values(in.getAsJsonArray("peak")));
    }

    private static JsonArray array(double[] values) {
        JsonArray a = new JsonArray();
        for (double v : values) {
            a.add(v);
        }
        return a;
    }

    private static double[] values(JsonArray a) {
        double[] v = new double[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.get(i).getAsDouble();
        }
        return v;
    }
}
