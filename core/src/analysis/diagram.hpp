// A diagram as the rule graph builds it: labelled nodes, each in a column, and labelled edges.
#pragma once

#include <set>
#include <string>
#include <vector>

namespace telpolicy {

struct DiagramNode {
    std::string id;     // safe in DOT, Mermaid and XML
    std::string label;  // lines separated by '\n'
    std::string shape;  // a DOT shape; mapped to Mermaid brackets and to the picture's styles
    int layer{0};       // the picture's column, left to right
};

struct DiagramEdge {
    std::string from;
    std::string to;
    std::string label;
};

struct Diagram {
    std::vector<DiagramNode> nodes;  // in the order they were first met: the picture's order within a column
    std::vector<DiagramEdge> edges;
    std::set<std::string> known;

    void node(std::string id, std::string label, std::string shape, int layer) {
        if (known.insert(id).second) nodes.push_back({std::move(id), std::move(label), std::move(shape), layer});
    }
    void edge(std::string from, std::string to, std::string label = {}) {
        edges.push_back({std::move(from), std::move(to), std::move(label)});
    }
};

}  // namespace telpolicy
