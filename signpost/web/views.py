from flask import Blueprint, render_template

bp = Blueprint("web", __name__)


@bp.get("/")
def search_page():
    return render_template("web/search.html")
