package ring0.asm;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import ring0.verify.Type;
import ring0.verify.TypeEnv;
import ring0.verify.TypeSyntax;
import ring0.verify.TypeSyntaxException;
import ring0.verify.TypesSection;
import ring0.verify.TypesSectionException;

/**
 * Builds the {@code .ring0.types} section (docs/types.md §11) of a typed
 * program: its type declarations, every text label with its precondition,
 * the typed data labels, and the coercions, at their image offsets.
 *
 * <p>Every text is parsed with the checker's own parser ({@link TypeSyntax})
 * so that mistakes are reported at their line and column in the source, not
 * as a section offset when the program is checked. A text label without a
 * precondition is an error: the checker needs a type for every region.
 */
final class TypesSectionBuilder {
    /** Longest label name the section may hold. */
    static final int MAX_NAME = 255;
    private static final byte[] MAGIC = {'R', '0', 'T', 'Y', 'P', 'E', 'S', 0};

    /**
     * A text label as laid out.
     *
     * @param name    full name
     * @param written the name as written at its definition ({@code .loop} for {@code main.loop})
     * @param offset  image offset
     * @param line    where it is defined
     * @param col     where it is defined
     */
    record CodeLabel(String name, String written, int offset, int line, int col) {}

    /**
     * A typed data label as laid out.
     *
     * @param offset image offset of the item (its length word, or the word)
     * @param length element count, 1 for a word
     */
    record DataLabel(String name, int offset, TypesSection.DataKind kind, long length, int line, int col) {}

    private final Reporter rep;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private TypesSectionBuilder(Reporter rep) { this.rep = rep; }

    /**
     * The section for a program, or null after reporting errors.
     *
     * @param annotations the program's annotations (preconditions, type declarations, coercions)
     * @param labels      every text label, in offset order
     * @param data        every typed data label, in offset order
     */
    static byte[] build(List<Program.Annotation> annotations, List<CodeLabel> labels, List<DataLabel> data, Reporter rep) {
        return new TypesSectionBuilder(rep).section(annotations, labels, data);
    }

    private byte[] section(List<Program.Annotation> annotations, List<CodeLabel> labels, List<DataLabel> data) {
        List<Program.Annotation> decls = new ArrayList<>();
        List<Program.Annotation> coercions = new ArrayList<>();
        Map<String, Program.Annotation> preconditions = new HashMap<>();
        for (Program.Annotation a : annotations) {
            switch (a.kind()) {
                case TYPE_DECL -> decls.add(a);
                case COERCION -> coercions.add(a);
                case PRECONDITION -> preconditions.put(a.label(), a);
            }
        }
        TypeEnv env = definitions(decls);

        // the labels, each with its parsed type (null if it has none or it did not parse)
        List<Type.Code> types = new ArrayList<>();
        for (CodeLabel l : labels) {
            Program.Annotation pre = preconditions.get(l.name());
            Type.Code type = null;
            if (l.name().length() > MAX_NAME) {
                rep.error(l.line(), l.col(), "label name '" + l.name().substring(0, 20) + "...' is longer than "
                        + MAX_NAME + " characters, the most a typed program allows");
            } else if (pre == null) {
                rep.error(l.line(), l.col(), "label " + l.name() + " has no type: give it a precondition, as in '"
                        + l.written() + ": {...}', or declare the program 'untyped'");
            } else if (env != null) {
                try {
                    type = TypeSyntax.parsePrecondition(wrap(pre.text()), env);
                } catch (TypeSyntaxException e) {
                    report(pre, e.position() - 1, "precondition of " + l.name() + ": " + e.reason());
                }
            }
            types.add(type);
        }
        for (DataLabel d : data) {
            if (d.name().length() > MAX_NAME) {
                rep.error(d.line(), d.col(), "data label name '" + d.name().substring(0, 20) + "...' is longer than "
                        + MAX_NAME + " characters, the most a typed program allows");
            }
            if (d.kind() == TypesSection.DataKind.WORD && d.offset() % 8 != 0) {
                rep.error(d.line(), d.col(), "'" + d.name() + ": dq' declares a global int, which must be 8-byte "
                        + "aligned: put 'align 8' before it");
            }
        }
        for (Program.Annotation c : coercions) {
            int li = regionOf(labels, c.imageOffset());
            Type.Code in = li < 0 ? null : types.get(li);
            if (env == null || in == null) continue;  // the error that prevents the check is reported
            try {
                TypeSyntax.parseCoercion(c.text(), env, in);
            } catch (TypeSyntaxException e) {
                report(c, e.position(), "coercion '" + c.text() + "': " + e.reason());
            }
        }
        if (rep.hasErrors()) return null;

        bytes(MAGIC);
        u32(TypesSection.VERSION);
        u32(decls.size());
        for (Program.Annotation d : decls) {
            str(d.label());
            str(d.text());
        }
        u32(labels.size());
        for (CodeLabel l : labels) {
            u32(l.offset());
            str(l.name());
            str(wrap(preconditions.get(l.name()).text()));
        }
        u32(data.size());
        for (DataLabel d : data) {
            u32(d.offset());
            str(d.name());
            out.write(d.kind().ordinal() + 1);
            u64(d.length());
        }
        u32(coercions.size());
        for (Program.Annotation c : coercions) {
            u32(c.imageOffset());
            str(c.text());
        }
        byte[] section = out.toByteArray();
        try {
            TypesSection.read(section);  // the checker's reader must accept what we wrote
        } catch (TypesSectionException e) {
            rep.error(1, 1, "internal error: the checker's reader rejects the types section: " + e.getMessage());
            return null;
        }
        return section;
    }

    /** The type environment of the declarations, or null after reporting an error. */
    private TypeEnv definitions(List<Program.Annotation> decls) {
        List<TypeSyntax.Definition> defs = new ArrayList<>();
        for (Program.Annotation d : decls) defs.add(new TypeSyntax.Definition(d.label(), d.text()));
        try {
            return TypeSyntax.parseDefinitions(defs);
        } catch (TypeSyntaxException e) {
            Program.Annotation at = decls.get(Math.max(0, Math.min(e.item(), decls.size() - 1)));
            report(at, e.item() >= 0 ? e.position() : 0, "type " + at.label() + ": " + e.reason());
            return null;
        }
    }

    /** A precondition's text in braces, as the section stores it. */
    private static String wrap(String text) {
        return "{" + text + "}";
    }

    /** Index of the label whose region holds image offset {@code off}, or -1. */
    private static int regionOf(List<CodeLabel> labels, int off) {
        int r = -1;
        for (int i = 0; i < labels.size() && labels.get(i).offset() <= off; i++) r = i;
        return r;
    }

    /** Reports an error at character {@code position} of annotation {@code a}'s text. */
    private void report(Program.Annotation a, int position, String message) {
        String t = a.text();
        int p = Math.max(0, Math.min(position, t.length()));
        int line = a.line(), col = a.column();
        for (int i = 0; i < p; i++) {
            if (t.charAt(i) == '\n') {
                line++;
                col = 1;
            } else {
                col++;
            }
        }
        rep.error(line, col, message);
    }

    private void bytes(byte[] b) { out.writeBytes(b); }

    private void u32(long v) {
        for (int i = 0; i < 4; i++) out.write((int) (v >>> (8 * i)));
    }

    private void u64(long v) {
        u32(v);
        u32(v >>> 32);
    }

    private void str(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        u32(b.length);
        bytes(b);
    }
}
