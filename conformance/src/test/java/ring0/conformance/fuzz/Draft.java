package ring0.conformance.fuzz;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A mutant in the making: first the structural edits of the annotation records
 * (which need the file rebuilt), then byte edits of the resulting file. Each
 * edit appends a short description of what it did, so a finding can be
 * understood and the mutant rebuilt from its seed and index.
 */
final class Draft {
    final Seed seed;
    final SplittableRandom rnd;
    private final List<String> steps = new ArrayList<>();
    private TypesModel types;
    private byte[] data;
    private byte[] elf, base;
    private ElfMap map;

    Draft(Seed seed, SplittableRandom rnd) {
        this.seed = seed;
        this.rnd = rnd;
    }

    /** The annotation records to edit structurally (a private copy, made on first use). */
    TypesModel types() {
        if (elf != null) throw new IllegalStateException("structural edits must come before byte edits");
        if (types == null) types = seed.types().copy();
        return types;
    }

    /** The contents of {@code .data} to rebuild the file with (a private copy, made on first use). */
    byte[] data() {
        types();
        if (data == null) data = seed.program().data().clone();
        return data;
    }

    /** Rebuilds with data of another size, copying what fits. */
    void resizeData(int length) {
        data = Arrays.copyOf(data(), length);
    }

    /** The file to edit byte by byte; the first call fixes the structural edits. */
    byte[] elf() {
        if (elf == null) {
            elf = types == null ? seed.elf().clone() : data == null ? seed.rebuild(types) : seed.rebuild(types, data);
            map = types == null ? seed.map() : ElfMap.of(elf);
            base = types == null ? seed.elf() : elf.clone();
        }
        return elf;
    }

    /** The file before the byte edits: the seed's, or the one rebuilt after structural edits. */
    byte[] base() {
        elf();
        return base;
    }

    /** Where the sections of {@link #elf()} are. */
    ElfMap map() {
        elf();
        return map;
    }

    void step(String description) { steps.add(description); }

    String description() { return String.join("; ", steps); }

    int below(int n) { return rnd.nextInt(n); }

    boolean chance(int percent) { return rnd.nextInt(100) < percent; }

    <T> T pick(List<T> xs) { return xs.get(rnd.nextInt(xs.size())); }

    int pick(int[] xs) { return xs[rnd.nextInt(xs.length)]; }

    long pick(long[] xs) { return xs[rnd.nextInt(xs.length)]; }

    /** A random offset inside {@code r}. */
    int in(ElfMap.Range r) { return r.start() + rnd.nextInt(r.length()); }
}
