package dev.asyncocr.image;

import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * Which pages of a document a job reads: {@code 1-3,5,7-9} (1-based, in the document's own numbering, the
 * syntax of Azure Document Intelligence's {@code pages}), or every page.
 */
public final class PageSelection {

    private static final Pattern SYNTAX = Pattern.compile("\\d{1,9}(-\\d{1,9})?(,\\d{1,9}(-\\d{1,9})?)*");
    private static final PageSelection ALL = new PageSelection(null);

    private final String ranges;

    private PageSelection(String ranges) {
        this.ranges = ranges;
    }

    /**
     * @param ranges the selection, or null for every page
     * @throws IllegalArgumentException a malformed selection, saying what is wrong in the client's terms
     */
    public static PageSelection parse(String ranges) {
        if (ranges == null) {
            return ALL;
        }
        String compact = ranges.replace(" ", "");
        if (!SYNTAX.matcher(compact).matches()) {
            throw new IllegalArgumentException("'pages' must be page numbers and ranges such as 1-3,5,7-9, not '"
                    + ranges + "'");
        }
        for (String range : compact.split(",")) {
            int[] ends = ends(range);
            if (ends[0] < 1 || ends[1] < ends[0]) {
                throw new IllegalArgumentException("'pages' range '" + range + "' must run upwards from page 1");
            }
        }
        return new PageSelection(compact);
    }

    /**
     * The selected pages of a document of {@code pageCount} pages, ascending, each once.
     *
     * @param limit the most pages a job may have ({@code ocr.document.max-pages})
     * @throws IllegalArgumentException the selection names a page the document does not have
     * @throws ImageRejectedException   more than {@code limit} pages are selected (checked before they are listed)
     */
    public List<Integer> pages(int pageCount, int limit) {
        if (ranges == null) {
            checkLimit(pageCount, limit);
            return IntStream.rangeClosed(1, pageCount).boxed().toList();
        }
        TreeSet<Integer> pages = new TreeSet<>();
        for (String range : ranges.split(",")) {
            int[] ends = ends(range);
            if (ends[1] > pageCount) {
                throw new IllegalArgumentException("'pages' names page " + ends[1] + ", but the document has "
                        + pageCount + (pageCount == 1 ? " page" : " pages"));
            }
            checkLimit(ends[1] - ends[0] + 1, limit);
            for (int page = ends[0]; page <= ends[1]; page++) {
                pages.add(page);
            }
            checkLimit(pages.size(), limit);
        }
        return List.copyOf(pages);
    }

    private static void checkLimit(long pages, int limit) {
        if (pages > limit) {
            throw new ImageRejectedException(ImageRejectedException.Reason.TOO_MANY_PAGES,
                    "The document has " + pages + " pages to read; the limit is " + limit + " pages"
                            + " (select fewer with 'pages')");
        }
    }

    private static int[] ends(String range) {
        String[] ends = range.split("-");
        return new int[]{Integer.parseInt(ends[0]), Integer.parseInt(ends[ends.length - 1])};
    }
}
