package ring0.conformance.fuzz;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Makes mutants of seeds. A mutant is one to four edits, each of a kind drawn
 * by weight: the weights favour the checked code and the annotation texts,
 * where a mutation has a chance to survive the checker and still mean
 * something; the data, {@code .ring0.meta}, the raw annotation bytes and the
 * ELF, program and section headers get a light share. The Linux entry stub is
 * never edited (nor its program header): it is not checked.
 *
 * <p>A mutant depends only on the seed list, the campaign seed and its index
 * ({@link #random}), so any one can be rebuilt alone.
 */
final class Mutator {
    private Mutator() {}

    /**
     * The kinds of edit, with their weights. Structural ones (which rebuild the
     * file) come first in a mutant, byte edits of the result after them.
     */
    enum Kind {
        /** Bit flips, interesting bytes and words, runs, small sums, copies anywhere in {@code .text}. */
        CODE_BYTES(16, false),
        /** Instructions dropped, replaced, swapped, deleted, doubled; conditions, branch and RIP targets, immediates. */
        CODE_INSTRUCTIONS(16, false),
        /** One instruction decoded, changed in one respect and encoded again ({@link InsnEdits}). */
        INSN_REWRITE(16, false),
        /** The two instructions of a label's poll, or the stop block. */
        POLL_AND_STOP(5, false),
        /** A few bytes of {@code .text}, {@code .data}, the annotations or the meta copied over the code. */
        CODE_COPY(2, false),
        /** Character and token edits of a precondition, type definition or coercion ({@link AnnotationEdits}). */
        ANNOTATION_TEXT(22, true),
        /** Annotation records moved, exchanged, dropped or added; arrays resized ({@link RecordEdits}). */
        ANNOTATION_RECORDS(10, true),
        /** Raw bytes of {@code .ring0.types}: counts, lengths, offsets, kinds. */
        ANNOTATION_BYTES(3, false),
        /** Bytes of {@code .data}, mostly array length words. */
        DATA(4, false),
        /** {@code .ring0.meta}: the entry offset, import names, other bytes. */
        META(3, false),
        /** A field of a section header. */
        SECTION_HEADERS(3, false),
        /** A field of a program header (never the stub's). */
        PROGRAM_HEADERS(1, false),
        /** The ELF header, mostly {@code e_entry}. */
        ELF_HEADER(1, false);

        final int weight;
        final boolean structural;

        Kind(int weight, boolean structural) {
            this.weight = weight;
            this.structural = structural;
        }
    }

    /**
     * A mutant.
     *
     * @param seed        the seed it was made from
     * @param index       its index in the campaign
     * @param elf         the mutated executable
     * @param base        the executable before the byte edits (the seed's, or the one rebuilt
     *                    after structural edits of the annotations or the data)
     * @param kinds       the kinds of edit applied
     * @param description what was done, step by step
     */
    record Mutant(Seed seed, long index, byte[] elf, byte[] base, List<Kind> kinds, String description) {}

    /** The random source of mutant {@code index} of a campaign with seed {@code seed}. */
    static SplittableRandom random(long seed, long index) {
        return new SplittableRandom(mix(seed) ^ mix(index + 0x9E3779B97F4A7C15L));
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Mutant {@code index} of the campaign {@code seed} over {@code seeds}, with edits of the kinds not in {@code skip}. */
    static Mutant mutant(List<Seed> seeds, long seed, long index, Set<Kind> skip) {
        SplittableRandom rnd = random(seed, index);
        Seed s = seeds.get(rnd.nextInt(seeds.size()));
        return mutate(s, index, rnd, skip);
    }

    static Mutant mutate(Seed seed, long index, SplittableRandom rnd, Set<Kind> skip) {
        int roll = rnd.nextInt(100);
        int n = roll < 55 ? 1 : roll < 80 ? 2 : roll < 92 ? 3 : 4;
        List<Kind> kinds = new ArrayList<>();
        for (int i = 0; i < n; i++) kinds.add(draw(rnd, skip));
        kinds.sort((a, b) -> Boolean.compare(b.structural, a.structural));
        Draft d = new Draft(seed, rnd);
        for (Kind k : kinds) apply(d, k);
        return new Mutant(seed, index, d.elf(), d.base(), List.copyOf(kinds), d.description());
    }

    private static Kind draw(SplittableRandom rnd, Set<Kind> skip) {
        int total = 0;
        for (Kind k : Kind.values()) if (!skip.contains(k)) total += k.weight;
        if (total == 0) throw new IllegalArgumentException("every kind of edit is skipped");
        int r = rnd.nextInt(total);
        for (Kind k : Kind.values()) {
            if (skip.contains(k)) continue;
            if (r < k.weight) return k;
            r -= k.weight;
        }
        throw new AssertionError();
    }

    /** Kinds named in a comma-separated list (for {@code -Dring0.fuzz.skip=ELF_HEADER,META}); empty for null. */
    static Set<Kind> kinds(String list) {
        Set<Kind> r = EnumSet.noneOf(Kind.class);
        if (list == null || list.isBlank()) return r;
        for (String k : list.split(",")) r.add(Kind.valueOf(k.strip().toUpperCase(Locale.ROOT)));
        return r;
    }

    private static void apply(Draft d, Kind k) {
        switch (k) {
            case CODE_BYTES -> ByteEdits.any(d, d.map().section(".text"), "text");
            case CODE_INSTRUCTIONS -> CodeEdits.any(d);
            case INSN_REWRITE -> InsnEdits.any(d);
            case POLL_AND_STOP -> CodeEdits.poll(d);
            case CODE_COPY -> {
                List<String> from = List.of(".text", ".text", ".data", ".ring0.types", ".ring0.meta");
                String name = d.pick(from);
                ByteEdits.copy(d, d.map().section(name), name.substring(1), d.map().section(".text"), "text");
            }
            case ANNOTATION_TEXT -> AnnotationEdits.any(d);
            case ANNOTATION_RECORDS -> RecordEdits.any(d);
            case ANNOTATION_BYTES -> FileEdits.typesBytes(d);
            case DATA -> FileEdits.data(d);
            case META -> FileEdits.meta(d);
            case SECTION_HEADERS -> FileEdits.sectionHeader(d);
            case PROGRAM_HEADERS -> FileEdits.programHeader(d);
            case ELF_HEADER -> FileEdits.elfHeader(d);
        }
    }

    /** Counts by kind, for reports. */
    static Map<Kind, Long> emptyCounts() {
        Map<Kind, Long> m = new EnumMap<>(Kind.class);
        for (Kind k : Kind.values()) m.put(k, 0L);
        return m;
    }
}
