package ring0.verify;

import java.util.List;
import ring0.elf.ElfImage;

/**
 * A program the checker accepted, with what a loader and a disassembler need.
 *
 * @param image        the program image
 * @param instructions number of instructions decoded and checked (including polls and the stop block)
 * @param labels       the code labels in image order
 * @param data         the data labels in image order
 */
public record Verified(ElfImage image, int instructions, List<LabelInfo> labels, List<DataInfo> data) {
    public Verified {
        labels = List.copyOf(labels);
        data = List.copyOf(data);
    }

    /** Number of code labels. */
    public int labelCount() { return labels.size(); }

    /**
     * A code label.
     *
     * @param name         its name
     * @param imageOffset  where its region starts
     * @param size         length of its region in bytes
     * @param precondition its precondition as written in {@code .ring0.types}
     */
    public record LabelInfo(String name, int imageOffset, int size, String precondition) {}

    /**
     * A data label.
     *
     * @param name        its name
     * @param imageOffset where it starts (its length word, for arrays)
     * @param kind        bytes, words or word
     * @param length      element count (1 for a word)
     */
    public record DataInfo(String name, int imageOffset, TypesSection.DataKind kind, long length) {}
}
