// The layered picture of a diagram: one column per layer, each node a box sized to its label (text
// widths estimated from a monospace font, so that no font metrics are needed), columns centred on
// the tallest, and each edge a curve from the right side of one box to the left side of another.
#include "analysis/diagram_svg.hpp"

#include <algorithm>
#include <map>
#include <sstream>
#include <vector>

namespace telpolicy {
namespace {

constexpr double char_width = 6.6;  // 11 px monospace
constexpr double line_height = 14;
constexpr double padding = 8;
constexpr double row_gap = 12;
constexpr double column_gap = 90;
constexpr double margin = 16;

struct Box {
    double x{0};
    double y{0};
    double width{0};
    double height{0};
};

struct Style {
    const char* kind;  // the node's class in the picture, for people and tests
    const char* fill;
    const char* stroke;
    double corner;
};

Style style_of(const std::string& shape) {
    if (shape == "oval") return {"request", "#e7f0ff", "#0a58ca", 999};
    if (shape == "box") return {"action", "#f1f3f5", "#57606a", 3};
    if (shape == "hexagon") return {"pin", "#f3e8ff", "#8250df", 10};
    if (shape == "diamond") return {"rule", "#ddf4ff", "#0969da", 6};
    if (shape == "note") return {"form", "#fff8c5", "#9a6700", 2};
    if (shape == "cylinder" || shape == "house") return {"contact", "#dafbe1", "#1a7f37", 8};
    if (shape == "octagon") return {"deny", "#ffebe9", "#cf222e", 2};
    return {"note", "#ffffff", "#8c959f", 2};
}

std::vector<std::string> lines_of(const std::string& label) {
    std::vector<std::string> lines;
    std::size_t start = 0;
    for (std::size_t end; (end = label.find('\n', start)) != std::string::npos; start = end + 1) {
        lines.push_back(label.substr(start, end - start));
    }
    lines.push_back(label.substr(start));
    return lines;
}

// Characters, not bytes: a UTF-8 continuation byte adds no width.
std::size_t characters(const std::string& text) {
    return static_cast<std::size_t>(
        std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::string xml_text(std::string_view text) {
    std::string out;
    for (char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default:
                // Control characters are not allowed in XML 1.0 text.
                if (static_cast<unsigned char>(c) >= 0x20 || c == '\t') out += c;
        }
    }
    return out;
}

std::string number(double value) {
    std::ostringstream out;
    out.setf(std::ios::fixed);
    out.precision(1);
    out << value;
    return out.str();
}

}  // namespace

std::string diagram_svg(const Diagram& diagram, std::string_view title) {
    std::map<std::string, Box> boxes;
    std::map<int, std::vector<const DiagramNode*>> columns;
    for (const DiagramNode& node : diagram.nodes) {
        const std::vector<std::string> lines = lines_of(node.label);
        std::size_t widest = 0;
        for (const std::string& line : lines) widest = std::max(widest, characters(line));
        boxes[node.id] = {0, 0, static_cast<double>(widest) * char_width + 2 * padding,
                          static_cast<double>(lines.size()) * line_height + padding};
        columns[node.layer].push_back(&node);
    }
    // Columns side by side, each as wide as its widest box; each centred on the tallest column.
    double x = margin;
    double tallest = 0;
    std::map<int, double> column_height;
    for (const auto& [layer, nodes] : columns) {
        double width = 0;
        double height = 0;
        for (const DiagramNode* node : nodes) {
            width = std::max(width, boxes[node->id].width);
            height += boxes[node->id].height + (height > 0 ? row_gap : 0);
        }
        for (const DiagramNode* node : nodes) boxes[node->id].x = x;
        column_height[layer] = height;
        tallest = std::max(tallest, height);
        x += width + column_gap;
    }
    const double picture_width = x - column_gap + margin;
    const double picture_height = tallest + 2 * margin;
    for (const auto& [layer, nodes] : columns) {
        double y = margin + (tallest - column_height[layer]) / 2;
        for (const DiagramNode* node : nodes) {
            boxes[node->id].y = y;
            y += boxes[node->id].height + row_gap;
        }
    }

    std::ostringstream out;
    out << "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"" << number(picture_width)
        << "\" height=\"" << number(picture_height) << "\" viewBox=\"0 0 " << number(picture_width) << " "
        << number(picture_height) << "\" font-family=\"DejaVu Sans Mono, Liberation Mono, monospace\" font-size=\"11\""
        << " role=\"img\" aria-label=\"" << xml_text(title) << "\">\n";
    out << "  <title>" << xml_text(title) << "</title>\n";
    out << "  <defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" "
           "markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M 0 0 L 10 5 L 0 10 z\" fill=\"#57606a\"/>"
           "</marker></defs>\n";
    out << "  <rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n";
    // Edges first, so that boxes are drawn over their ends.
    out << "  <g class=\"edges\" fill=\"none\" stroke=\"#8c959f\" stroke-width=\"1\">\n";
    for (const DiagramEdge& edge : diagram.edges) {
        const auto from = boxes.find(edge.from);
        const auto to = boxes.find(edge.to);
        if (from == boxes.end() || to == boxes.end()) continue;
        const Box& a = from->second;
        const Box& b = to->second;
        const double x1 = a.x + a.width;
        const double y1 = a.y + a.height / 2;
        const double x2 = b.x;
        const double y2 = b.y + b.height / 2;
        const double bend = std::max(30.0, (x2 - x1) / 2);
        out << "    <path class=\"edge\" data-from=\"" << xml_text(edge.from) << "\" data-to=\"" << xml_text(edge.to)
            << "\" d=\"M " << number(x1) << " " << number(y1) << " C " << number(x1 + bend) << " " << number(y1) << ", "
            << number(x2 - bend) << " " << number(y2) << ", " << number(x2) << " " << number(y2)
            << "\" marker-end=\"url(#arrow)\"/>\n";
        if (!edge.label.empty()) {
            // Near the arrow's end, where the reader's eye arrives.
            out << "    <text x=\"" << number(x2 - 6) << "\" y=\"" << number(y2 - 3)
                << "\" text-anchor=\"end\" font-size=\"9\" fill=\"#57606a\" stroke=\"none\">" << xml_text(edge.label)
                << "</text>\n";
        }
    }
    out << "  </g>\n";
    for (const DiagramNode& node : diagram.nodes) {
        const Box& box = boxes[node.id];
        const Style style = style_of(node.shape);
        const double corner = std::min(style.corner, box.height / 2);
        out << "  <g class=\"node " << style.kind << "\" data-node=\"" << xml_text(node.id) << "\">\n";
        out << "    <title>" << xml_text(node.label) << "</title>\n";
        out << "    <rect x=\"" << number(box.x) << "\" y=\"" << number(box.y) << "\" width=\"" << number(box.width)
            << "\" height=\"" << number(box.height) << "\" rx=\"" << number(corner) << "\" fill=\"" << style.fill
            << "\" stroke=\"" << style.stroke << "\"" << (node.shape == "plaintext" ? " stroke-dasharray=\"3 2\"" : "")
            << "/>\n";
        out << "    <text x=\"" << number(box.x + padding) << "\" y=\"" << number(box.y + 1) << "\" fill=\"#1b1f24\">";
        bool first = true;
        for (const std::string& line : lines_of(node.label)) {
            out << "<tspan x=\"" << number(box.x + padding) << "\" dy=\"" << number(line_height) << "\""
                << (first ? " font-weight=\"bold\"" : "") << ">" << xml_text(line) << "</tspan>";
            first = false;
        }
        out << "</text>\n  </g>\n";
    }
    out << "</svg>\n";
    return out.str();
}

}  // namespace telpolicy
