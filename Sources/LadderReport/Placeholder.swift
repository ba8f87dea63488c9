// placeholder until issue work lands
