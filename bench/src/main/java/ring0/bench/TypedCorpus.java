package ring0.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import ring0.asm.AsmException;
import ring0.asm.Assembler;
import ring0.asm.ElfWriter;

/**
 * A large typed program for measuring the checker: the functions of
 * {@code examples/sum.tal} (an indexed, bounds-checked loop; a loop with a
 * declared fact; decimal formatting with division and byte stores; kernel
 * calls) repeated under fresh names until the program has the requested
 * number of copies. Every copy is real, checked code: nothing is skipped.
 *
 * <p>Copies share their precondition texts, as the labels of a real program
 * often do (every function returning an int has the same return type). With
 * {@code distinctTypes} the stack variable {@code s} is renamed in each copy
 * too, so that no two functions have the same precondition text: the worst
 * case for a checker that parses each distinct text once.
 */
public final class TypedCorpus {
    private TypedCorpus() {}

    /** Names of the functions in sum.tal that are copied. */
    private static final String[] FUNCTIONS = {"sum", "squares", "print_num"};

    /** The source of a program with {@code copies} copies of sum.tal's functions. */
    public static String source(Path sumTal, int copies) {
        return source(sumTal, copies, false);
    }

    /**
     * The source of a program with {@code copies} copies of sum.tal's functions;
     * with {@code distinctTypes}, each copy's type variables have their own names.
     */
    public static String source(Path sumTal, int copies, boolean distinctTypes) {
        String text;
        try {
            text = Files.readString(sumTal);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int mainAt = text.indexOf("\nmain:");
        int funcsAt = text.indexOf("\nsum:");
        int dataAt = text.indexOf("\nsection .data");
        if (mainAt < 0 || funcsAt < mainAt || dataAt < funcsAt) {
            throw new IllegalStateException(sumTal + " does not have the expected layout (main, sum ..., section .data)");
        }
        StringBuilder sb = new StringBuilder(text.length() * (copies + 1));
        sb.append(text, 0, mainAt);
        sb.append(rename(text.substring(mainAt, funcsAt), 0));
        String funcs = text.substring(funcsAt, dataAt);
        for (int i = 0; i < copies; i++) {
            String copy = rename(funcs, i);
            sb.append(distinctTypes ? copy.replaceAll("\\bs\\b", "s_" + i) : copy);
        }
        sb.append(text.substring(dataAt));
        return sb.toString();
    }

    private static String rename(String s, int i) {
        for (String f : FUNCTIONS) s = s.replaceAll("\\b" + f + "\\b", f + "_" + i);
        return s;
    }

    /** The program assembled into an ELF executable with its types. */
    public static byte[] elf(Path sumTal, int copies) {
        return elf(sumTal, copies, false);
    }

    /** The program assembled into an ELF executable with its types; see {@link #source(Path, int, boolean)}. */
    public static byte[] elf(Path sumTal, int copies, boolean distinctTypes) {
        try {
            return ElfWriter.write(Assembler.assemble(source(sumTal, copies, distinctTypes), "typed-corpus.tal"));
        } catch (AsmException e) {
            throw new IllegalStateException("the typed corpus does not assemble:\n" + e.getMessage(), e);
        }
    }
}
