"""The program page (everyone reads it) and its editor (HR admins)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render

from tandem.access.rules import require
from tandem.core.http import AuthedHttpRequest
from tandem.program import services
from tandem.program.forms import ProgramForm, SwitchesForm
from tandem.program.models import SWITCHES, Program


@login_required
def detail(request: AuthedHttpRequest) -> HttpResponse:
    return render(request, "program/detail.html", {"program": Program.current()})


@login_required
def edit(request: AuthedHttpRequest) -> HttpResponse:
    require(request.user, "program.edit")
    program = Program.current()
    initial = {
        "purposes": program.purposes,
        "purpose_statement": program.purpose_statement,
        "anonymity_minimum": program.anonymity_minimum,
    }
    form = ProgramForm(request.POST or None, initial=initial)
    # A copy, so a refused POST cannot leave half-applied values on the loaded program.
    switches = SwitchesForm(request.POST or None, instance=Program.current())
    if request.method == "POST" and form.is_valid() and switches.is_valid():
        values = {**form.cleaned_data, **{f: switches.cleaned_data[f] for f in SWITCHES}}
        try:
            services.update_program(by=request.user, **values)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                target = form if field in form.fields else switches
                target.add_error(field if field in target.fields else None, errors)
        else:
            messages.success(
                request, "Program saved. Everyone sees the change on the program page."
            )
            return redirect("program:detail")
    return render(
        request, "program/edit.html", {"form": form, "switches": switches, "program": program}
    )
