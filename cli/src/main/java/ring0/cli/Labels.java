package ring0.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import ring0.elf.ElfImage;

/**
 * Names for addresses in a listing: the program's labels, its import slots
 * and the entry stub. Display only; nothing here is trusted.
 */
final class Labels {

    /** A named address range {@code [address, address + size)}; size 0 names only {@code address}. */
    record Label(String name, long address, long size) {}

    private final TreeMap<Long, List<Label>> byAddress = new TreeMap<>();

    /**
     * The labels of {@code image}, loaded at its link-time address: its symbols,
     * the two control words that start the read-write region, and the import
     * slots ({@code write@slot}).
     */
    static Labels of(ElfImage image) {
        Labels l = new Labels();
        long base = image.textVaddr();
        for (ElfImage.Symbol s : image.symbols()) l.add(new Label(s.name(), base + s.imageOffset(), s.size()));
        l.add(new Label("__limit", base + image.limitOffset(), 8));
        l.add(new Label("__reserved", base + image.reservedOffset(), 8));
        for (int i = 0; i < image.imports().size(); i++) {
            l.add(new Label(image.imports().get(i).importName() + "@slot", base + image.slotOffset(i), 8));
        }
        return l;
    }

    /** Adds a label. */
    void add(Label label) {
        byAddress.computeIfAbsent(label.address(), a -> new ArrayList<>()).add(label);
    }

    /** The labels starting exactly at {@code address}, in insertion order. */
    List<Label> at(long address) {
        return byAddress.getOrDefault(address, List.of());
    }

    /** The labels starting strictly between {@code from} and {@code to}. */
    List<Label> between(long from, long to) {
        if (to - from < 2) return List.of();
        List<Label> r = new ArrayList<>();
        byAddress.subMap(from, false, to, false).values().forEach(r::addAll);
        return r;
    }

    /**
     * The label covering {@code address}, as {@code name} or {@code name+0x10};
     * {@code null} if none does. At a label's own address the first label
     * added there wins (the symbol table lists {@code f} before {@code f.loop});
     * inside, the nearest label below that still covers the address.
     */
    String describe(long address) {
        Map.Entry<Long, List<Label>> e = byAddress.floorEntry(address);
        if (e == null) return null;
        long delta = address - e.getKey();
        if (delta == 0) return e.getValue().getFirst().name();
        for (Label l : e.getValue()) {
            if (delta < l.size()) return l.name() + "+0x" + Long.toHexString(delta);
        }
        return null;
    }
}
