package org.loupe.core.internal.codec;

import java.util.ArrayList;
import java.util.List;

import org.loupe.core.result.ResultCodec;
import org.loupe.core.result.RunFiles;
import org.loupe.core.result.TableResult;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/** {@code table}: the column headers and the rows of cell values (unit cells as {@code {"unitRef": ...}}). */
public final class TableCodec implements ResultCodec<TableResult> {

    @Override
    public void write(TableResult t, JsonObject out, RunFiles files) {
        out.add("columns", Json.strings(t.columns()));
        JsonArray rows = new JsonArray();
        for (List<Object> row : t.rows()) {
            JsonArray ra = new JsonArray();
            row.forEach(v -> ra.add(files.writeValue(v)));
            rows.add(ra);
        }
        out.add("rows", rows);
    }

    @Override
    public TableResult read(JsonObject in, RunFiles files) {
        List<List<Object>> rows = new ArrayList<>();
        for (JsonElement e : in.getAsJsonArray("rows")) {
            List<Object> row = new ArrayList<>();
            e.getAsJsonArray().forEach(c -> row.add(files.readValue(c)));
            rows.add(row);
        }
        return new TableResult(in.get("title").getAsString(), Json.strings(in.getAsJsonArray("columns")), rows);
    }
}
