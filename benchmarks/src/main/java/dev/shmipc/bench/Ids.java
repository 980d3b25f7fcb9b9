package dev.shmipc.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The command line's names for transports and workloads: looked up, chosen and listed one way for both. */
final class Ids {
    private Ids() {
    }

    /**
     * The value named {@code id} (spaces around it and case do not matter).
     *
     * @param kind what is looked up, for the message: {@code transport}
     * @throws IllegalArgumentException (a usage error) that lists the choices, if there is none
     */
    static <T> T find(List<T> values, Function<T, String> idOf, String id, String kind) {
        String wanted = id.trim().toLowerCase(Locale.ROOT);
        for (T value : values) {
            if (idOf.apply(value).equals(wanted)) {
                return value;
            }
        }
        throw new IllegalArgumentException("unknown " + kind + " '" + id + "'; choose from "
                + join(values, idOf, ", "));
    }

    /**
     * The values named in {@code text}, a comma-separated list, or {@code all} if it is null;
     * always in the order of {@code all} (the report's), whatever order they were given in.
     */
    static <T> List<T> choose(String text, Function<String, T> parse, List<T> all) {
        if (text == null) {
            return all;
        }
        List<T> chosen = new ArrayList<>();
        for (String word : text.split(",")) {
            chosen.add(parse.apply(word));
        }
        List<T> ordered = new ArrayList<>(all);
        ordered.retainAll(chosen);
        return ordered;
    }

    /** The ids of {@code values}, joined by {@code separator}; {@code none} if there are none. */
    static <T> String join(List<T> values, Function<T, String> idOf, String separator) {
        return values.isEmpty() ? "none" : values.stream().map(idOf).collect(Collectors.joining(separator));
    }
}
