package ring0.conformance.cases;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import ring0.abi.Service;
import ring0.verify.KernelTypes;

/**
 * A case's code translated into one GNU as source file that lays out the whole
 * program image (docs/types.md section 7), with the annotation records the
 * case implies. The builder adds what every program needs so that cases stay
 * minimal: the stop block, an entry label, a poll after every annotated label,
 * and the read-write region (limit word, reserved word, import slots, data).
 *
 * @param text      the assembler source
 * @param labels    annotated labels in source order
 * @param coercions coercion texts; coercion {@code k} applies at symbol {@code __c<k>}
 * @param slots     import slots in slot order ({@code stop} first)
 */
record CaseSource(String text, List<LabelText> labels, List<String> coercions, Set<String> slots) {

    /** An annotated label and its precondition as written. */
    record LabelText(String name, String precondition) {}

    /** The stop block at image offset 0. */
    static final List<String> STOP_BLOCK = List.of("__stop:", "    call [rip+stop]", "    jmp __stop");
    /** The poll at the start of every annotated label. */
    static final List<String> POLL = List.of("    cmp rsp, [rip+__limit]", "    jbe __stop");
    /**
     * The entry label the builder adds right after the stop block unless the case
     * names its own entry: its precondition is what the kernel gives a program at
     * entry, so the case's own labels may assume anything.
     */
    static final LabelText ENTRY = new LabelText("__entry", "{| code{rax: int | s} :: s}");
    /** Prefix of the symbol the builder puts after the poll of each annotated label ({@code __body_f}). */
    static final String BODY = "__body_";
    /** The symbol of the marked instruction. */
    static final String MARK = "__at";

    private static final Pattern LABEL = Pattern.compile("([A-Za-z_][\\w.]*):\\s*(.*)");
    private static final Pattern SLOT_REF = Pattern.compile("\\[\\s*rip\\s*\\+\\s*([A-Za-z_]\\w*)\\s*]");

    /** Translates case {@code c}. */
    static CaseSource of(Case c) {
        Builder b = new Builder();
        if (!c.omitStop()) STOP_BLOCK.forEach(b::line);
        if (c.entry() == null && !c.omitStop()) {
            b.annotated(ENTRY, true);
            b.line("    xor eax, eax");
            b.line("    ret");
        }
        for (String line : c.body()) {
            boolean marked = line.endsWith(CaseFile.MARKER);
            String l = marked ? line.substring(0, line.length() - CaseFile.MARKER.length()).stripTrailing() : line;
            Matcher m = LABEL.matcher(l);
            if (!l.isEmpty() && !Character.isWhitespace(l.charAt(0)) && m.matches()) {
                String name = m.group(1), rest = m.group(2);
                if (rest.startsWith("{")) {
                    b.annotated(new LabelText(name, rest), !c.noPoll().contains(name), marked);
                } else {
                    b.line(name + ":");
                    if (marked) b.line(MARK + ":");
                    if (!rest.isEmpty()) b.line("    " + rest);
                }
            } else if (l.strip().startsWith("%")) {
                b.line("__c" + b.coercions.size() + ":");
                b.coercions.add(l.strip().substring(1).strip());
            } else {
                Matcher slot = SLOT_REF.matcher(l);
                while (slot.find()) if (isService(slot.group(1))) b.slots.add(slot.group(1));
                if (marked) b.line(MARK + ":");
                b.line(l);
            }
        }
        b.slots.addAll(c.imports());
        b.line("__text_end:");
        b.line("    .balign 4096, 0");
        b.line("__limit: .quad 0");
        b.line("    .quad 0");
        for (String slot : b.slots) b.line(slot + ": .quad 0");
        b.line("    .balign 16, 0");
        b.line("__data:");
        for (Case.DataDecl d : c.data()) b.data(d);
        return new CaseSource(b.text.toString(), b.labels, b.coercions, b.slots);
    }

    /** True if {@code name} is a kernel service, known to the ABI table or to the checker's type table. */
    static boolean isService(String name) {
        return name.equals(KernelTypes.STOP) || Service.byName(name) != null || KernelTypes.of(name) != null;
    }

    private static final class Builder {
        final StringBuilder text = new StringBuilder(".intel_syntax noprefix\n.text\n");
        final List<LabelText> labels = new ArrayList<>();
        final List<String> coercions = new ArrayList<>();
        final Set<String> slots = new LinkedHashSet<>(List.of(KernelTypes.STOP));

        void line(String l) {
            text.append(l).append('\n');
        }

        void annotated(LabelText l, boolean poll) {
            annotated(l, poll, false);
        }

        void annotated(LabelText l, boolean poll, boolean marked) {
            labels.add(l);
            line(l.name() + ":");
            if (marked) line(MARK + ":");
            if (poll) POLL.forEach(this::line);
            line(BODY + l.name() + ":");
        }

        /** A data label: its length word (arrays), then the payload, zero-filled after the given bytes. */
        void data(Case.DataDecl d) {
            line("    .balign 8, 0");
            line(d.name() + ":");
            if (!d.kind().equals("word")) line("    .quad " + d.lengthWord());
            byte[] init = d.init();
            if (init.length > 0) {
                StringBuilder s = new StringBuilder("    .byte ");
                for (int i = 0; i < init.length; i++) s.append(i == 0 ? "" : ", ").append(init[i] & 0xff);
                line(s.toString());
            }
            if (d.payload() > init.length) line("    .zero " + (d.payload() - init.length));
        }
    }
}
