/* chart_svg.h - a picture on a page (chart/chart.h): accessible SVG
 * written through the HTML writer.
 *
 * h_chart writes a <div class="chart">: the SVG (role="img", named by its
 * <title> through aria-labelledby and described by the chart's text
 * alternative through aria-describedby), a visible paragraph with that
 * text alternative,
 * and the numbers behind the picture as a real <table> with a caption
 * inside <details><summary>Visa siffrorna</summary> (opens without
 * JavaScript).  An empty chart writes its `empty` text instead of a
 * picture, and no table.  Plain SVG with presentation attributes: no
 * script, no style element (the CSP allows neither inline).
 */
#ifndef VARN_CHART_SVG_H
#define VARN_CHART_SVG_H

struct html;
struct chart;

void h_chart(struct html *h, const struct chart *c);

/* The picture alone, named by its <title> and described by its own
 * <desc> (the chart's alt), with css_class (NULL: "chart-svg"): for a
 * page that writes its own text alternative under it (the system page's
 * dependency list, which links each system).  An empty chart draws its
 * empty text. */
void h_chart_svg(struct html *h, const struct chart *c, const char *css_class);

#endif
