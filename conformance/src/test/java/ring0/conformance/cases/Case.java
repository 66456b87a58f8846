package ring0.conformance.cases;

import java.util.List;
import java.util.Set;

/**
 * One checker test case, as read from a {@code .cases} file by {@link CaseFile}.
 * The format is described in {@code src/test/resources/cases/README.md}.
 *
 * @param file        name of the {@code .cases} file, for the test name
 * @param name        the case's name, unique in its file
 * @param line        1-based line of the case's header, for failure messages
 * @param expect      accept, or reject with a message fragment
 * @param pending     why the case cannot run yet, or null
 * @param types       {@code type NAME = definition} declarations, in order
 * @param data        data labels, in order
 * @param imports     services to import besides those found in the code ({@code stop} is always slot 0)
 * @param entry       the entry label, or null for the first annotated label
 * @param noPoll      labels that get no automatic poll
 * @param omitStop    true if the builder must not emit the stop block
 * @param elf         true to also wrap the image into an ELF file and check that
 * @param dataAt      symbol where the image's {@code .data} is said to start (a forged layout), or null
 * @param edits       lies and damage applied to the annotation section
 * @param body        the code lines, verbatim
 * @param bodyLine    1-based file line of the first body line
 */
record Case(
        String file,
        String name,
        int line,
        Expect expect,
        String pending,
        List<TypeDecl> types,
        List<DataDecl> data,
        List<String> imports,
        String entry,
        Set<String> noPoll,
        boolean omitStop,
        boolean elf,
        String dataAt,
        List<Edit> edits,
        List<String> body,
        int bodyLine) {

    Case {
        types = List.copyOf(types);
        data = List.copyOf(data);
        imports = List.copyOf(imports);
        noPoll = Set.copyOf(noPoll);
        edits = List.copyOf(edits);
        body = List.copyOf(body);
    }

    /** Display name of the dynamic test. */
    String displayName() {
        return file + ": " + name;
    }

    /** What the checker must do with the case. */
    sealed interface Expect {
        /** The checker must return a {@code Verified}. */
        record Accept() implements Expect {}

        /**
         * The checker must throw {@code IllTyped} whose message contains
         * {@code fragment}; if {@code where} is not null, the rejection must be
         * at that place.
         */
        record Reject(String fragment, Where where) implements Expect {}
    }

    /** Where a rejection must be reported. */
    sealed interface Where {
        /** At the instruction marked {@code #<} in the body (or the label line so marked). */
        record Marker() implements Where {}

        /** At {@code label + offset}, as written in an {@code ## at:} line. */
        record At(String label, int offset) implements Where {}

        /** At image offset {@code offset} ({@code ## at: image+0xN}), for places outside every label. */
        record Image(int offset) implements Where {}

        /** In the annotation section, not at an instruction ({@code ## at: section}). */
        record Section() implements Where {}
    }

    /** A {@code type NAME = definition} declaration (the definition is passed on verbatim). */
    record TypeDecl(String name, String definition) {}

    /**
     * A data label: {@code kind} is {@code bytes}, {@code words} or {@code word}.
     *
     * @param length     the length written in the data record
     * @param lengthWord the length word actually stored in {@code .data} (normally {@code length})
     * @param payload    bytes actually stored after the length word (normally the length's worth)
     * @param init       initial bytes of the elements (bytes/words) or the word's value bytes, may be empty
     */
    record DataDecl(String name, String kind, long length, long lengthWord, long payload, byte[] init) {
        int kindCode() {
            return switch (kind) {
                case "bytes" -> 1;
                case "words" -> 2;
                case "word" -> 3;
                default -> throw new IllegalStateException(kind);
            };
        }
    }

    /** A change to the annotation section that the honest builder would not make. */
    sealed interface Edit {
        /**
         * Replace the offset of label {@code label}'s record by {@code symbol + delta}, or, if
         * {@code symbol} is null, move it by {@code delta}.
         */
        record LabelOffset(String label, String symbol, long delta) implements Edit {}

        /** Append a label record with offset {@code at} (symbol plus delta) after the honest ones. */
        record ExtraLabel(String at, long delta, String name, String precondition) implements Edit {}

        /** Append a coercion record with offset {@code at} (symbol plus delta) after the honest ones. */
        record ExtraCoercion(String at, long delta, String text) implements Edit {}

        /** As {@link LabelOffset}, for the record of data label {@code name}. */
        record DataOffset(String name, String symbol, long delta) implements Edit {}

        /** Drop the last {@code count} bytes of the section. */
        record Truncate(int count) implements Edit {}

        /** Append bytes to the section. */
        record Append(byte[] bytes) implements Edit {}

        /** Overwrite bytes at {@code offset}. */
        record Poke(int offset, byte[] bytes) implements Edit {}

        /** Leave the section out altogether. */
        record NoSection() implements Edit {}

        /** Replace the version number. */
        record Version(int version) implements Edit {}
    }
}
